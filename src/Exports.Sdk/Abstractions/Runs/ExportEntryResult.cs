namespace Exports.Sdk;

/// <summary>What a run did for one of its entries: an audience of a dataflow, or the dataset of a dataset export.</summary>
public sealed record ExportEntryResult
{
    /// <summary>The audience id, or the dataset id.</summary>
    public required string SourceId { get; init; }

    /// <summary><see cref="ExportRunStatus.Succeeded"/>, <see cref="ExportRunStatus.Failed"/> or <see cref="ExportRunStatus.Cancelled"/>.</summary>
    public required ExportRunStatus Status { get; init; }

    /// <summary>The folder the entry's files went to, relative to the destination's root (empty for the root).</summary>
    public string FolderPath { get; init; } = "";

    /// <summary>Rows read from the source.</summary>
    public long RowsRead { get; init; }

    /// <summary>Rows written to files (of committed files; 0 when the entry failed).</summary>
    public long RowsExported { get; init; }

    /// <summary>Rows not exported, by reason (e.g. <c>missing mandatory attribute 'email'</c>, or at or below the watermark).</summary>
    public IReadOnlyDictionary<string, long> RowsSkipped { get; init; } = new Dictionary<string, long>();

    /// <summary>Rows dropped as duplicates of the deduplication key.</summary>
    public long DuplicatesDropped { get; init; }

    /// <summary>The committed files, in part order (empty when the entry failed).</summary>
    public IReadOnlyList<ExportedFile> Files { get; init; } = [];

    /// <summary>Total bytes of <see cref="Files"/>.</summary>
    public long Bytes => Files.Sum(f => f.Size);

    /// <summary>How long the entry took.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>
    /// Dataset exports with a watermark column: the watermark to pass as <see cref="DatasetRunRequest.Since"/> next
    /// time. After a success the largest watermark value exported (or the previous one when no newer row was found);
    /// after a failure the previous one, unchanged. Null for exports without a watermark column, and after a full run
    /// that found no row with a watermark. For an audience read incrementally: the newest change time read (the source's
    /// <see cref="AudienceColumns.ChangeTime"/>, else <see cref="AudienceColumns.MembershipStatusTime"/>), to pass back
    /// as <see cref="ExportRunRequest.ChangedSince"/>; null for a full read.
    /// </summary>
    public DatasetWatermark? Watermark { get; init; }

    /// <summary>Why the entry failed, naming the export, the audience or dataset, and the problem; null on success.</summary>
    public string? Error { get; init; }
}
