namespace Exports.Sdk;

/// <summary>The state of a run or of one audience in it.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<ExportRunStatus>))]
public enum ExportRunStatus
{
    /// <summary>Accepted, not started.</summary>
    Queued,

    /// <summary>Running.</summary>
    Running,

    /// <summary>Every audience was exported.</summary>
    Succeeded,

    /// <summary>Some audiences were exported, others failed.</summary>
    PartiallySucceeded,

    /// <summary>Nothing was exported; nothing was left at the destination.</summary>
    Failed,

    /// <summary>Cancelled; nothing of the cancelled audience was left at the destination.</summary>
    Cancelled,
}
