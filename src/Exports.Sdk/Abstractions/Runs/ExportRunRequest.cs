namespace Exports.Sdk;

/// <summary>What to export in a run of a dataflow.</summary>
public sealed record ExportRunRequest
{
    /// <summary>The audiences to export; null or empty for every activated audience of the dataflow.</summary>
    public IReadOnlyList<string>? AudienceIds { get; init; }

    /// <summary>
    /// The run id. Default: a new time-ordered id. A scheduler passes a deterministic id per slot so a retried
    /// run writes the same names and replaces what a failed attempt left.
    /// </summary>
    public string? RunId { get; init; }

    /// <summary>The time the run is for (file names, manifest). Default: now.</summary>
    public DateTimeOffset? ScheduledTime { get; init; }

    /// <summary>For incremental runs: per audience id, read only changes at or after this instant.</summary>
    public IReadOnlyDictionary<string, DateTimeOffset>? ChangedSince { get; init; }
}
