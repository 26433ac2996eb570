namespace Exports.Sdk;

/// <summary>
/// The manifest written after a run's data files: the fields partners' loaders already read
/// (<c>flowRunId</c>, <c>scheduledTime</c>, <c>exportResults[].sinkPath/name/size</c>) plus row counts, SHA-256,
/// ids, part numbers, format, compression and columns. Every file it lists is complete.
/// </summary>
public sealed record ExportManifest
{
    /// <summary>The run id.</summary>
    public required string FlowRunId { get; init; }

    /// <summary>The time the run was scheduled for (UTC, ISO-8601).</summary>
    public required DateTimeOffset ScheduledTime { get; init; }

    /// <summary>The dataflow id.</summary>
    public required string DataflowId { get; init; }

    /// <summary>The destination id.</summary>
    public required string DestinationId { get; init; }

    /// <summary>When the files were exported (UTC, ISO-8601).</summary>
    public required DateTimeOffset ExportTime { get; init; }

    /// <summary>The format name (<c>csv</c>, <c>jsonl</c>, <c>parquet</c>).</summary>
    public required string Format { get; init; }

    /// <summary>The compression (<c>none</c> or <c>gzip</c>; a Parquet codec for Parquet).</summary>
    public required string Compression { get; init; }

    /// <summary>The columns of the files, in order.</summary>
    public required IReadOnlyList<ManifestColumn> Columns { get; init; }

    /// <summary>The files, in export order.</summary>
    public required IReadOnlyList<ManifestFile> ExportResults { get; init; }
}
