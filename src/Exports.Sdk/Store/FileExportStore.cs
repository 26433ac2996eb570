namespace Exports.Sdk;

/// <summary>
/// The durable embedded store: one JSON file per dataflow, run and audience state under a folder, written atomically
/// (temp file, flush to disk, rename). It survives restarts and needs no server. Several processes may share the folder
/// on one machine; for several hosts use a database-backed store.
/// </summary>
public sealed class FileExportStore : IExportStore, IExportStoreRunQueries
{
    private readonly ExportStoreCore _core;

    /// <summary>Opens (or creates) a store in a folder.</summary>
    /// <param name="rootPath">The folder.</param>
    /// <param name="timeProvider">The clock for timestamps; default the system clock.</param>
    public FileExportStore(string rootPath, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(rootPath);
        var clock = timeProvider ?? TimeProvider.System;
        RootPath = Path.GetFullPath(rootPath);
        _core = new ExportStoreCore(new FileStoreBackend(RootPath, clock), clock);
    }

    /// <summary>The store's folder.</summary>
    public string RootPath { get; }

    /// <inheritdoc />
    public ValueTask<StoredDataflow?> GetDataflowAsync(string id, CancellationToken cancellationToken = default) => _core.GetDataflowAsync(id, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<StoredDataflow> ListDataflowsAsync(CancellationToken cancellationToken = default) => _core.ListDataflowsAsync(cancellationToken);

    /// <inheritdoc />
    public ValueTask<StoredDataflow> CreateDataflowAsync(DataflowDefinition dataflow, CancellationToken cancellationToken = default) => _core.CreateDataflowAsync(dataflow, cancellationToken);

    /// <inheritdoc />
    public ValueTask<StoredDataflow> UpdateDataflowAsync(DataflowDefinition dataflow, string etag, CancellationToken cancellationToken = default) => _core.UpdateDataflowAsync(dataflow, etag, cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<StoredDataflow>> UpdateDataflowsAsync(IReadOnlyList<DataflowUpdate> updates, CancellationToken cancellationToken = default) => _core.UpdateDataflowsAsync(updates, cancellationToken);

    /// <inheritdoc />
    public ValueTask DeleteDataflowAsync(string id, string etag, CancellationToken cancellationToken = default) => _core.DeleteDataflowAsync(id, etag, cancellationToken);

    /// <inheritdoc />
    public ValueTask<StoredDatasetExport?> GetDatasetExportAsync(string id, CancellationToken cancellationToken = default) => _core.GetDatasetExportAsync(id, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<StoredDatasetExport> ListDatasetExportsAsync(CancellationToken cancellationToken = default) => _core.ListDatasetExportsAsync(cancellationToken);

    /// <inheritdoc />
    public ValueTask<StoredDatasetExport> CreateDatasetExportAsync(DatasetExportDefinition datasetExport, CancellationToken cancellationToken = default) => _core.CreateDatasetExportAsync(datasetExport, cancellationToken);

    /// <inheritdoc />
    public ValueTask<StoredDatasetExport> UpdateDatasetExportAsync(DatasetExportDefinition datasetExport, string etag, CancellationToken cancellationToken = default) => _core.UpdateDatasetExportAsync(datasetExport, etag, cancellationToken);

    /// <inheritdoc />
    public ValueTask DeleteDatasetExportAsync(string id, string etag, CancellationToken cancellationToken = default) => _core.DeleteDatasetExportAsync(id, etag, cancellationToken);

    /// <inheritdoc />
    public ValueTask<StoredDestination?> GetDestinationAsync(string name, CancellationToken cancellationToken = default) => _core.GetDestinationAsync(name, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<StoredDestination> ListDestinationsAsync(CancellationToken cancellationToken = default) => _core.ListDestinationsAsync(cancellationToken);

    /// <inheritdoc />
    public ValueTask<StoredDestination> CreateDestinationAsync(DestinationDefinition destination, CancellationToken cancellationToken = default) => _core.CreateDestinationAsync(destination, cancellationToken);

    /// <inheritdoc />
    public ValueTask<StoredDestination> UpdateDestinationAsync(DestinationDefinition destination, string etag, CancellationToken cancellationToken = default) => _core.UpdateDestinationAsync(destination, etag, cancellationToken);

    /// <inheritdoc />
    public ValueTask DeleteDestinationAsync(string name, string etag, CancellationToken cancellationToken = default) => _core.DeleteDestinationAsync(name, etag, cancellationToken);

    /// <inheritdoc />
    public ValueTask<RunStartResult> TryStartRunAsync(ExportRunRecord run, CancellationToken cancellationToken = default) => _core.TryStartRunAsync(run, cancellationToken);

    /// <inheritdoc />
    public ValueTask SaveRunAsync(ExportRunRecord run, CancellationToken cancellationToken = default) => _core.SaveRunAsync(run, cancellationToken);

    /// <inheritdoc />
    public ValueTask<ExportRunRecord?> SaveRunProgressAsync(ExportRunRecord run, CancellationToken cancellationToken = default) => _core.SaveRunProgressAsync(run, cancellationToken);

    /// <inheritdoc />
    public ValueTask<ExportRunRecord?> RequestRunCancellationAsync(string dataflowId, string runId, string? requestedBy, CancellationToken cancellationToken = default) =>
        _core.RequestRunCancellationAsync(dataflowId, runId, requestedBy, cancellationToken);

    /// <inheritdoc />
    public ValueTask<ExportRunRecord?> FindRunAsync(string runId, CancellationToken cancellationToken = default) => _core.FindRunAsync(runId, cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ExportRunRecord>> FailAbandonedRunsAsync(CancellationToken cancellationToken = default) => _core.FailAbandonedRunsAsync(cancellationToken);

    /// <inheritdoc />
    public ValueTask<ExportRunRecord?> GetRunAsync(string dataflowId, string runId, CancellationToken cancellationToken = default) => _core.GetRunAsync(dataflowId, runId, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<ExportRunRecord> ListRunsAsync(string dataflowId, CancellationToken cancellationToken = default) => _core.ListRunsAsync(dataflowId, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<ExportRunRecord> ListRunsWithLeftoversAsync(string dataflowId, CancellationToken cancellationToken = default) => _core.ListRunsWithLeftoversAsync(dataflowId, cancellationToken);

    /// <inheritdoc />
    public ValueTask<ExportPage<ExportRunRecord>> SearchRunsAsync(string dataflowId, RunQuery query, CancellationToken cancellationToken = default) => _core.SearchRunsAsync(dataflowId, query, cancellationToken);

    /// <inheritdoc />
    public ValueTask<AudienceExportState?> GetAudienceStateAsync(string dataflowId, string audienceId, CancellationToken cancellationToken = default) => _core.GetAudienceStateAsync(dataflowId, audienceId, cancellationToken);

    /// <inheritdoc />
    public ValueTask SaveAudienceStateAsync(AudienceExportState state, CancellationToken cancellationToken = default) => _core.SaveAudienceStateAsync(state, cancellationToken);
}
