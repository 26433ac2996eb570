namespace Exports.Sdk;

/// <summary>What a run did for one audience.</summary>
public sealed record AudienceRunResult
{
    /// <summary>The audience id.</summary>
    public required string AudienceId { get; init; }

    /// <summary><see cref="ExportRunStatus.Succeeded"/>, <see cref="ExportRunStatus.Failed"/> or <see cref="ExportRunStatus.Cancelled"/>.</summary>
    public required ExportRunStatus Status { get; init; }

    /// <summary>Rows read from the source.</summary>
    public long RowsRead { get; init; }

    /// <summary>Rows written to files (of committed files; 0 when the audience failed).</summary>
    public long RowsExported { get; init; }

    /// <summary>Rows not exported, by reason (e.g. <c>missing mandatory attribute 'email'</c>).</summary>
    public IReadOnlyDictionary<string, long> RowsSkipped { get; init; } = new Dictionary<string, long>();

    /// <summary>Rows dropped as duplicates of the deduplication key.</summary>
    public long DuplicatesDropped { get; init; }

    /// <summary>The committed files, in part order (empty when the audience failed).</summary>
    public IReadOnlyList<ExportedFile> Files { get; init; } = [];

    /// <summary>Total bytes of <see cref="Files"/>.</summary>
    public long Bytes => Files.Sum(f => f.Size);

    /// <summary>How long the audience took.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>Why the audience failed, naming the dataflow, audience and problem; null on success.</summary>
    public string? Error { get; init; }
}
