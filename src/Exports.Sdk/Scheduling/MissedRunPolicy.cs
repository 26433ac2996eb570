namespace Exports.Sdk;

/// <summary>What the scheduler does about occurrences that passed while it was not running. Missed occurrences are never replayed one by one.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<MissedRunPolicy>))]
public enum MissedRunPolicy
{
    /// <summary>One catch-up run for the latest missed occurrence (the default); earlier missed ones are skipped.</summary>
    RunOnce,

    /// <summary>Skip missed occurrences; wait for the next one.</summary>
    Skip,
}
