using System.Security.Claims;

namespace Exports.Sdk;

/// <summary>
/// Manages dataset exports on behalf of a caller, as <see cref="IExportManager"/> does dataflows: every operation
/// checks the caller's permissions (<see cref="ExportPermission.ViewDestinations"/> to see, and
/// <see cref="ExportPermission.ManageDatasetExports"/> on the destination to change or run) and changes nothing when
/// denied. Dataset exports declared in configuration are listed too, read-only. Their runs are read, listed and
/// cancelled through <see cref="IExportManager"/> (<see cref="IExportManager.SearchRunsAsync"/> with the dataset
/// export's id), beside the dataflows' runs.
/// </summary>
public interface IDatasetExportManager
{
    /// <summary>Validates and stores a new dataset export (an id is generated when empty).</summary>
    /// <param name="caller">The caller.</param>
    /// <param name="datasetExport">The dataset export.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The stored dataset export.</returns>
    /// <exception cref="ExportValidationException">Every problem, each naming the field.</exception>
    /// <exception cref="ExportConcurrencyException">An export with that id exists.</exception>
    Task<ManagedDatasetExport> CreateAsync(ClaimsPrincipal caller, DatasetExportDefinition datasetExport, CancellationToken cancellationToken = default);

    /// <summary>Returns a dataset export, or null when there is none or the caller may not see its destination (so neither can be probed).</summary>
    /// <param name="caller">The caller.</param>
    /// <param name="id">The dataset export id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The dataset export or null.</returns>
    Task<ManagedDatasetExport?> GetAsync(ClaimsPrincipal caller, string id, CancellationToken cancellationToken = default);

    /// <summary>Lists one page of the dataset exports the caller may see, each with what the caller may do and its latest run.</summary>
    /// <param name="caller">The caller.</param>
    /// <param name="query">Text matched against the name, id, dataset id, destination name and type; and the page.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page, by name, and how many match in all.</returns>
    Task<ExportPage<ManagedDatasetExport>> SearchAsync(ClaimsPrincipal caller, DataflowQuery query, CancellationToken cancellationToken = default);

    /// <summary>Validates and replaces a dataset export if <paramref name="etag"/> is current.</summary>
    /// <param name="caller">The caller.</param>
    /// <param name="datasetExport">The new version (same id).</param>
    /// <param name="etag">The ETag it was read with.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The stored dataset export with its new ETag.</returns>
    /// <exception cref="ExportConcurrencyException">The ETag is stale.</exception>
    Task<ManagedDatasetExport> UpdateAsync(ClaimsPrincipal caller, DatasetExportDefinition datasetExport, string etag, CancellationToken cancellationToken = default);

    /// <summary>Creates a new dataset export prefilled from an existing one, with a new id and name and its schedule switched off.</summary>
    /// <param name="caller">The caller.</param>
    /// <param name="id">The dataset export to copy.</param>
    /// <param name="newName">The new name; default "&lt;name&gt; (copy)".</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new dataset export.</returns>
    Task<ManagedDatasetExport> DuplicateAsync(ClaimsPrincipal caller, string id, string? newName = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes a dataset export if <paramref name="etag"/> is current (its runs stay on record; one created again under
    /// the id starts with a full run).
    /// </summary>
    /// <param name="caller">The caller.</param>
    /// <param name="id">The dataset export id.</param>
    /// <param name="etag">The ETag it was read with.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when it is deleted.</returns>
    /// <exception cref="ExportRunInProgressException">One of its runs is queued or running on a live host.</exception>
    Task DeleteAsync(ClaimsPrincipal caller, string id, string etag, CancellationToken cancellationToken = default);

    /// <summary>Switches a dataset export's schedule on or off.</summary>
    /// <param name="caller">The caller.</param>
    /// <param name="id">The dataset export id.</param>
    /// <param name="enabled">On or off.</param>
    /// <param name="etag">The ETag it was read with.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The stored dataset export with its new ETag.</returns>
    Task<ManagedDatasetExport> SetScheduleEnabledAsync(ClaimsPrincipal caller, string id, bool enabled, string etag, CancellationToken cancellationToken = default);

    /// <summary>
    /// Starts a full export of the dataset now, in addition to the schedule (the watermark is left alone), and returns at
    /// once; follow it with <see cref="IExportManager.GetRunAsync"/>.
    /// </summary>
    /// <param name="caller">The caller.</param>
    /// <param name="id">The dataset export id.</param>
    /// <param name="cancellationToken">Cancels the start, not the run.</param>
    /// <returns>The run as recorded, queued.</returns>
    /// <exception cref="ExportRunInProgressException">The dataset export is already running.</exception>
    Task<ExportRunRecord> StartRunAsync(ClaimsPrincipal caller, string id, CancellationToken cancellationToken = default);

    /// <summary>As <see cref="StartRunAsync"/>, and waits for the run to end.</summary>
    /// <param name="caller">The caller.</param>
    /// <param name="id">The dataset export id.</param>
    /// <param name="progress">Receives progress; may be null.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The finished run.</returns>
    Task<ExportRunRecord> RunAsync(ClaimsPrincipal caller, string id, IProgress<ExportProgress>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>Lists the registered dataset sources (needs <see cref="ExportPermission.ViewDestinations"/>).</summary>
    /// <param name="caller">The caller.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The source names, in order.</returns>
    Task<IReadOnlyList<string>> ListSourcesAsync(ClaimsPrincipal caller, CancellationToken cancellationToken = default);

    /// <summary>Lists a source's datasets with their schema where the source knows it, for a picker (needs <see cref="ExportPermission.ViewDestinations"/>).</summary>
    /// <param name="caller">The caller.</param>
    /// <param name="source">The source name.</param>
    /// <param name="search">Text matched against the id and name; null for all.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The datasets by name, or null when there is no such source.</returns>
    Task<IReadOnlyList<DatasetInfo>?> ListDatasetsAsync(ClaimsPrincipal caller, string source, string? search = null, CancellationToken cancellationToken = default);
}
