namespace Exports.Sdk;

/// <summary>How far a running run has come, over all its entries, as last saved by the host running it.</summary>
public sealed record ExportRunProgress
{
    /// <summary>Rows read from the source so far.</summary>
    public long RowsRead { get; init; }

    /// <summary>Rows written so far.</summary>
    public long RowsExported { get; init; }

    /// <summary>Files committed so far.</summary>
    public int FilesCommitted { get; init; }

    /// <summary>Bytes written to the destination so far (after compression).</summary>
    public long Bytes { get; init; }

    /// <summary>The audience or dataset being exported.</summary>
    public string? CurrentSourceId { get; init; }

    /// <summary>When this progress was saved.</summary>
    public DateTimeOffset UpdatedAt { get; init; }
}
