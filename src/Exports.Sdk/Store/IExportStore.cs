namespace Exports.Sdk;

/// <summary>
/// Persists dataflows and dataset exports (with ETags), destinations created at run time, runs and per-audience (or
/// per-dataset) state. Built in: <see cref="FileExportStore"/> (durable,
/// embedded, one host) and <see cref="InMemoryExportStore"/> (tests). Other stores (e.g. a database shared by several
/// hosts) ship as packages.
/// </summary>
/// <remarks>
/// Writes are atomic: a reader sees the previous or the new version, never a mix. Updates and deletes with a stale
/// ETag throw <see cref="ExportConcurrencyException"/> and change nothing.
/// </remarks>
public interface IExportStore
{
    /// <summary>Returns a dataflow, or null.</summary>
    /// <param name="id">The dataflow id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The stored dataflow or null.</returns>
    ValueTask<StoredDataflow?> GetDataflowAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Lists every stored dataflow.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The dataflows.</returns>
    IAsyncEnumerable<StoredDataflow> ListDataflowsAsync(CancellationToken cancellationToken = default);

    /// <summary>Stores a new dataflow.</summary>
    /// <param name="dataflow">The dataflow; its id must be unused.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The stored dataflow with its first ETag.</returns>
    /// <exception cref="ExportConcurrencyException">A dataflow with that id exists.</exception>
    ValueTask<StoredDataflow> CreateDataflowAsync(DataflowDefinition dataflow, CancellationToken cancellationToken = default);

    /// <summary>Replaces a dataflow if its ETag is still current.</summary>
    /// <param name="dataflow">The new version.</param>
    /// <param name="etag">The ETag the caller read.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The stored dataflow with its new ETag.</returns>
    /// <exception cref="ExportConcurrencyException">The ETag is stale or the dataflow is gone.</exception>
    ValueTask<StoredDataflow> UpdateDataflowAsync(DataflowDefinition dataflow, string etag, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces several dataflows as one step: every ETag must still be current, else none is written (the bulk
    /// schedule edit). A store holds its lock, or a transaction, across the checks and the writes.
    /// </summary>
    /// <param name="updates">The new versions, each with the ETag the caller read; ids are distinct.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The stored dataflows with their new ETags, in the order given.</returns>
    /// <exception cref="ExportConcurrencyException">An ETag is stale or a dataflow is gone; nothing was written.</exception>
    /// <exception cref="ArgumentException">A dataflow is listed twice.</exception>
    ValueTask<IReadOnlyList<StoredDataflow>> UpdateDataflowsAsync(IReadOnlyList<DataflowUpdate> updates, CancellationToken cancellationToken = default);

    /// <summary>Deletes a dataflow if its ETag is still current.</summary>
    /// <param name="id">The dataflow id.</param>
    /// <param name="etag">The ETag the caller read.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when it is gone.</returns>
    /// <exception cref="ExportConcurrencyException">The ETag is stale or the dataflow is gone.</exception>
    ValueTask DeleteDataflowAsync(string id, string etag, CancellationToken cancellationToken = default);

    /// <summary>Gets a destination created at run time (names compare case-insensitively), or null.</summary>
    /// <param name="name">The destination's name.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The stored destination, its secret settings protected as they were saved.</returns>
    ValueTask<StoredDestination?> GetDestinationAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Lists the destinations created at run time.</summary>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The stored destinations.</returns>
    IAsyncEnumerable<StoredDestination> ListDestinationsAsync(CancellationToken cancellationToken = default);

    /// <summary>Stores a new destination (its secret settings already protected by the caller).</summary>
    /// <param name="destination">The destination.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The stored destination with its first ETag.</returns>
    /// <exception cref="ExportConcurrencyException">A destination of that name exists.</exception>
    ValueTask<StoredDestination> CreateDestinationAsync(DestinationDefinition destination, CancellationToken cancellationToken = default);

    /// <summary>Replaces a destination, if <paramref name="etag"/> is still current.</summary>
    /// <param name="destination">The new definition (same name).</param>
    /// <param name="etag">The ETag read with the version being replaced.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The stored destination with its new ETag.</returns>
    /// <exception cref="ExportConcurrencyException">The destination is gone or was changed since.</exception>
    ValueTask<StoredDestination> UpdateDestinationAsync(DestinationDefinition destination, string etag, CancellationToken cancellationToken = default);

    /// <summary>Deletes a destination, if <paramref name="etag"/> is still current.</summary>
    /// <param name="name">The destination's name.</param>
    /// <param name="etag">The ETag read with the version being deleted.</param>
    /// <param name="cancellationToken">Cancels the deletion.</param>
    /// <returns>A task.</returns>
    /// <exception cref="ExportConcurrencyException">The destination is gone or was changed since.</exception>
    ValueTask DeleteDestinationAsync(string name, string etag, CancellationToken cancellationToken = default);

    /// <summary>Returns a dataset export stored at run time, or null.</summary>
    /// <param name="id">The dataset export id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The stored dataset export or null.</returns>
    ValueTask<StoredDatasetExport?> GetDatasetExportAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Lists every stored dataset export.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The dataset exports.</returns>
    IAsyncEnumerable<StoredDatasetExport> ListDatasetExportsAsync(CancellationToken cancellationToken = default);

    /// <summary>Stores a new dataset export.</summary>
    /// <param name="datasetExport">The dataset export; its id must be used by no dataflow or dataset export.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The stored dataset export with its first ETag.</returns>
    /// <exception cref="ExportConcurrencyException">An export with that id exists.</exception>
    ValueTask<StoredDatasetExport> CreateDatasetExportAsync(DatasetExportDefinition datasetExport, CancellationToken cancellationToken = default);

    /// <summary>Replaces a dataset export if its ETag is still current.</summary>
    /// <param name="datasetExport">The new version.</param>
    /// <param name="etag">The ETag the caller read.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The stored dataset export with its new ETag.</returns>
    /// <exception cref="ExportConcurrencyException">The ETag is stale or the dataset export is gone.</exception>
    ValueTask<StoredDatasetExport> UpdateDatasetExportAsync(DatasetExportDefinition datasetExport, string etag, CancellationToken cancellationToken = default);

    /// <summary>Deletes a dataset export if its ETag is still current (its runs and state stay).</summary>
    /// <param name="id">The dataset export id.</param>
    /// <param name="etag">The ETag the caller read.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when it is gone.</returns>
    /// <exception cref="ExportConcurrencyException">The ETag is stale or the dataset export is gone.</exception>
    ValueTask DeleteDatasetExportAsync(string id, string etag, CancellationToken cancellationToken = default);

    /// <summary>
    /// Atomically records a run as running unless one of its audiences is already in an active run of the same dataflow,
    /// the same run id included (a retry of a slot while an attempt at it still runs, here or elsewhere). An active run
    /// whose holder is gone (a dead process, or a lease that ran out) is recorded as interrupted instead, and a retry of
    /// its slot replaces it.
    /// </summary>
    /// <param name="run">The run, with status <see cref="ExportRunStatus.Running"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether it started, or the conflicting runs.</returns>
    ValueTask<RunStartResult> TryStartRunAsync(ExportRunRecord run, CancellationToken cancellationToken = default);

    /// <summary>Writes a run record (e.g. when it ends).</summary>
    /// <param name="run">The run.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when it is stored.</returns>
    /// <exception cref="ExportConcurrencyException">
    /// A store shared by hosts may refuse the record of a claim that another claim of the same run id replaced (a retry,
    /// or a host that took the run over), rather than write it over that claim's record.
    /// </exception>
    ValueTask SaveRunAsync(ExportRunRecord run, CancellationToken cancellationToken = default);

    /// <summary>
    /// Saves the progress of an active run claimed by this host and renews its claim, keeping any cancellation request
    /// stored since.
    /// </summary>
    /// <param name="run">The run as it is now (status, progress).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The stored record (with <see cref="ExportRunRecord.CancelRequestedAt"/> when someone asked to cancel), or null when the run is no longer active or was taken over by another host.</returns>
    ValueTask<ExportRunRecord?> SaveRunProgressAsync(ExportRunRecord run, CancellationToken cancellationToken = default);

    /// <summary>Records a request to cancel an active run; the host running it sees it at its next progress save.</summary>
    /// <param name="dataflowId">The dataflow (or dataset export) id.</param>
    /// <param name="runId">The run id.</param>
    /// <param name="requestedBy">Who asks.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The stored record (unchanged when it had already ended), or null when there is no such run.</returns>
    ValueTask<ExportRunRecord?> RequestRunCancellationAsync(string dataflowId, string runId, string? requestedBy, CancellationToken cancellationToken = default);

    /// <summary>Returns a run by its id alone (of any dataflow or dataset export), or null.</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The run or null.</returns>
    ValueTask<ExportRunRecord?> FindRunAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records as failed, with the reason, every active run whose host is gone (its claim expired or its process ended),
    /// so none is left "Running" for ever. Called when a host starts.
    /// </summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The runs it recorded as failed.</returns>
    ValueTask<IReadOnlyList<ExportRunRecord>> FailAbandonedRunsAsync(CancellationToken cancellationToken = default);

    /// <summary>Returns a run, or null.</summary>
    /// <param name="dataflowId">The dataflow id.</param>
    /// <param name="runId">The run id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The run or null.</returns>
    ValueTask<ExportRunRecord?> GetRunAsync(string dataflowId, string runId, CancellationToken cancellationToken = default);

    /// <summary>Lists a dataflow's runs, newest first.</summary>
    /// <param name="dataflowId">The dataflow id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The runs.</returns>
    IAsyncEnumerable<ExportRunRecord> ListRunsAsync(string dataflowId, CancellationToken cancellationToken = default);

    /// <summary>Returns the state of an audience in a dataflow, or null before its first run.</summary>
    /// <param name="dataflowId">The dataflow id.</param>
    /// <param name="audienceId">The audience id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The state or null.</returns>
    ValueTask<AudienceExportState?> GetAudienceStateAsync(string dataflowId, string audienceId, CancellationToken cancellationToken = default);

    /// <summary>Writes the state of an audience in a dataflow.</summary>
    /// <param name="state">The state.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when it is stored.</returns>
    ValueTask SaveAudienceStateAsync(AudienceExportState state, CancellationToken cancellationToken = default);
}
