namespace Exports.Sdk;

/// <summary>What a dataset export asks an <see cref="IDatasetSource"/> for.</summary>
public sealed class DatasetReadRequest
{
    /// <summary>Creates a request.</summary>
    /// <param name="datasetId">The dataset whose rows to read.</param>
    public DatasetReadRequest(string datasetId)
    {
        ArgumentException.ThrowIfNullOrEmpty(datasetId);
        DatasetId = datasetId;
    }

    /// <summary>The dataset whose rows to read.</summary>
    public string DatasetId { get; }

    /// <summary>
    /// The columns wanted, in order; empty for all. A source may return more columns (the export selects by name) but
    /// should fail naming the column when one is missing.
    /// </summary>
    public IReadOnlyList<string> Columns { get; init; } = [];

    /// <summary>The column that orders rows for incremental exports (e.g. <c>updated_at</c> or a sequence id); null for none.</summary>
    public string? WatermarkColumn { get; init; }

    /// <summary>When set, only rows whose <see cref="WatermarkColumn"/> is greater than this value are wanted.</summary>
    public DatasetWatermark? Since { get; init; }

    /// <summary>A hint for the number of rows per batch. Default <see cref="RowBatch.DefaultCapacity"/>.</summary>
    public int BatchSize { get; init; } = RowBatch.DefaultCapacity;
}
