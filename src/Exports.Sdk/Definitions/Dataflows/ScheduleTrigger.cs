namespace Exports.Sdk;

/// <summary>What starts a scheduled export.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<ScheduleTrigger>))]
public enum ScheduleTrigger
{
    /// <summary>The start time of each occurrence.</summary>
    Scheduled,

    /// <summary>The source's signal that the audience's evaluation for that day finished.</summary>
    AfterSegmentEvaluation,
}
