namespace Exports.Sdk;

/// <summary>A store in memory, for tests: the same rules as <see cref="FileExportStore"/>, nothing survives the process.</summary>
public sealed class InMemoryExportStore : IExportStore, IExportStoreRunQueries
{
    private readonly ExportStoreCore _core;

    /// <summary>Creates an empty store.</summary>
    /// <param name="timeProvider">The clock for timestamps; default the system clock.</param>
    public InMemoryExportStore(TimeProvider? timeProvider = null) =>
        _core = new ExportStoreCore(new InMemoryStoreBackend(), timeProvider ?? TimeProvider.System);

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
