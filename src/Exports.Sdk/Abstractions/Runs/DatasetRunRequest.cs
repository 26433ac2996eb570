namespace Exports.Sdk;

/// <summary>What to export in a run of a dataset export.</summary>
public sealed record DatasetRunRequest
{
    /// <summary>
    /// The run id, part of the file names. Default: a new time-ordered id. Pass the same id to retry a slot: the retry
    /// writes the same names and replaces what a failed attempt left.
    /// </summary>
    public string? RunId { get; init; }

    /// <summary>The time the run is for (the <c>exportTime=</c> folder and the manifest). Default: now.</summary>
    public DateTimeOffset? ScheduledTime { get; init; }

    /// <summary>
    /// For incremental exports: the watermark the previous successful run returned; only rows above it are exported.
    /// Null: a full export (the first run of an incremental export).
    /// </summary>
    public DatasetWatermark? Since { get; init; }
}
