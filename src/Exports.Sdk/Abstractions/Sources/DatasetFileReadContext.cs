namespace Exports.Sdk;

/// <summary>One data file to read for a file dataset source, with the dataset's options.</summary>
/// <param name="DatasetId">The dataset the file belongs to (for messages).</param>
/// <param name="Path">The full path of the file on the local file system.</param>
public sealed record DatasetFileReadContext(string DatasetId, string Path)
{
    /// <summary>
    /// The declared columns. Readers of typed formats (Parquet) check the file against them; readers of untyped ones
    /// (CSV, JSON Lines) parse values as these types. Null: from the file (CSV: text columns named by the header;
    /// JSON Lines: inferred from the first object).
    /// </summary>
    public ExportSchema? Schema { get; init; }

    /// <summary>Reader options (keys case-insensitive), e.g. <c>delimiter</c> for CSV. Each reader documents its keys.</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Rows per batch. Default <see cref="RowBatch.DefaultCapacity"/>.</summary>
    public int BatchSize { get; init; } = RowBatch.DefaultCapacity;
}
