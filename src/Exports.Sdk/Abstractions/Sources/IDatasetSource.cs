namespace Exports.Sdk;

/// <summary>
/// Lists datasets (tables of raw rows: events, records) and streams their rows, for dataset exports. Implement it over
/// your store; register it with <c>AddDatasetSource</c> and refer to it by name from a <see cref="DatasetExportDefinition"/>.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="ReadRowsAsync"/> yields batches with the dataset's columns (or the requested ones). The consumer reads each
/// batch before asking for the next, so a source may reuse one batch. Yield an empty batch to describe the schema of a
/// dataset that has no (new) rows.
/// </para>
/// <para>
/// For incremental reads a source should return only rows whose <see cref="DatasetReadRequest.WatermarkColumn"/> is greater
/// than <see cref="DatasetReadRequest.Since"/> (e.g. <c>WHERE updated_at &gt; @since</c>). The engine drops older rows
/// anyway, so a source that cannot filter stays correct, only slower.
/// </para>
/// <para>Throw to fail the export; the export cleans up what it wrote. Honour the token.</para>
/// </remarks>
public interface IDatasetSource
{
    /// <summary>Lists the datasets this source knows.</summary>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The datasets.</returns>
    IAsyncEnumerable<DatasetInfo> ListDatasetsAsync(CancellationToken cancellationToken = default);

    /// <summary>Streams the rows of a dataset.</summary>
    /// <param name="request">The dataset, columns and incremental window.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>Batches of rows.</returns>
    IAsyncEnumerable<RowBatch> ReadRowsAsync(DatasetReadRequest request, CancellationToken cancellationToken = default);
}
