namespace Exports.Sdk;

/// <summary>What started a run.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<ExportRunTrigger>))]
public enum ExportRunTrigger
{
    /// <summary>"Export now" for chosen audiences, or "run" on one dataflow.</summary>
    OnDemand,

    /// <summary>"Run all" over every dataflow with an active schedule.</summary>
    RunAll,

    /// <summary>A schedule occurrence.</summary>
    Scheduled,
}
