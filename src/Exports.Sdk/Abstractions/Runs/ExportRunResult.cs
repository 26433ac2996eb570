namespace Exports.Sdk;

/// <summary>What a run did: of a dataflow (one entry per audience) or of a dataset export (one entry, the dataset).</summary>
public sealed record ExportRunResult
{
    /// <summary>The run id (the manifest's <c>flowRunId</c>).</summary>
    public required string RunId { get; init; }

    /// <summary>The dataflow id, or the dataset export id (the manifest's <c>dataflowId</c>).</summary>
    public required string DataflowId { get; init; }

    /// <summary>The destination name.</summary>
    public required string DestinationName { get; init; }

    /// <summary>The overall status.</summary>
    public required ExportRunStatus Status { get; init; }

    /// <summary>The time the run was for.</summary>
    public required DateTimeOffset ScheduledTime { get; init; }

    /// <summary>When the run started.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When the run ended.</summary>
    public required DateTimeOffset EndedAt { get; init; }

    /// <summary>How long the run took.</summary>
    public TimeSpan Duration => EndedAt - StartedAt;

    /// <summary>Per audience (or the dataset) results, in request order.</summary>
    public required IReadOnlyList<ExportEntryResult> Entries { get; init; }

    /// <summary>The manifest's path at the destination, when one was written.</summary>
    public string? ManifestPath { get; init; }

    /// <summary>Run-level errors (e.g. the manifest could not be written) and every entry's error.</summary>
    public IReadOnlyList<string> Errors { get; init; } = [];

    /// <summary>All committed data files.</summary>
    public IEnumerable<ExportedFile> Files => Entries.SelectMany(a => a.Files);

    /// <summary>Rows read over all entries.</summary>
    public long RowsRead => Entries.Sum(e => e.RowsRead);

    /// <summary>Rows exported over all entries.</summary>
    public long RowsExported => Entries.Sum(e => e.RowsExported);

    /// <summary>Bytes written over all entries.</summary>
    public long Bytes => Entries.Sum(e => e.Bytes);
}
