namespace Exports.Sdk;

/// <summary>What a dataset export run did.</summary>
public sealed record DatasetRunResult
{
    /// <summary>The run id (the manifest's <c>flowRunId</c>).</summary>
    public required string RunId { get; init; }

    /// <summary>The dataset export id.</summary>
    public required string ExportId { get; init; }

    /// <summary>The dataset id.</summary>
    public required string DatasetId { get; init; }

    /// <summary>The destination name.</summary>
    public required string DestinationName { get; init; }

    /// <summary><see cref="ExportRunStatus.Succeeded"/>, or <see cref="ExportRunStatus.Failed"/> with <see cref="Error"/> set.</summary>
    public required ExportRunStatus Status { get; init; }

    /// <summary>The time the run was for.</summary>
    public required DateTimeOffset ScheduledTime { get; init; }

    /// <summary>When the run started.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When the run ended.</summary>
    public required DateTimeOffset EndedAt { get; init; }

    /// <summary>How long the run took.</summary>
    public TimeSpan Duration => EndedAt - StartedAt;

    /// <summary>The folder the files went to, relative to the destination's root (<c>…/&lt;datasetId&gt;/exportTime=YYYYMMDDHHMM</c>).</summary>
    public required string FolderPath { get; init; }

    /// <summary>Rows read from the source.</summary>
    public long RowsRead { get; init; }

    /// <summary>Rows written to committed files (0 when the run failed).</summary>
    public long RowsExported { get; init; }

    /// <summary>Rows read but not exported, by reason (e.g. at or below the watermark).</summary>
    public IReadOnlyDictionary<string, long> RowsSkipped { get; init; } = new Dictionary<string, long>();

    /// <summary>The committed files, in part order (empty when the run failed).</summary>
    public IReadOnlyList<ExportedFile> Files { get; init; } = [];

    /// <summary>Total bytes of <see cref="Files"/>.</summary>
    public long Bytes => Files.Sum(f => f.Size);

    /// <summary>The manifest's path at the destination, when one was written.</summary>
    public string? ManifestPath { get; init; }

    /// <summary>
    /// The watermark to pass as <see cref="DatasetRunRequest.Since"/> next time: after a success the largest watermark
    /// value exported (or the previous one when no newer row was found); after a failure the previous one, unchanged.
    /// Null for exports without a watermark column, and after a full run that found no row with a watermark.
    /// </summary>
    public DatasetWatermark? Watermark { get; init; }

    /// <summary>Why the run failed, naming the export, the dataset, the column when there is one, and the problem; null on success.</summary>
    public string? Error { get; init; }
}
