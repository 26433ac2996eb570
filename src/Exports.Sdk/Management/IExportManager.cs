using System.Security.Claims;

namespace Exports.Sdk;

/// <summary>
/// Manages exports (dataflows) and their runs on behalf of a caller: every operation checks the caller's permissions
/// (<see cref="IExportAuthorizationPolicy"/>) and changes nothing when denied (<see cref="ExportAccessDeniedException"/>).
/// Dataflows declared in configuration are listed too, read-only.
/// </summary>
public interface IExportManager
{
    /// <summary>Validates and stores a new dataflow (an id is generated when empty).</summary>
    /// <param name="caller">The caller.</param>
    /// <param name="dataflow">The dataflow.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The stored dataflow.</returns>
    /// <exception cref="ExportValidationException">Every problem with the dataflow, each naming the field.</exception>
    Task<ManagedDataflow> CreateAsync(ClaimsPrincipal caller, DataflowDefinition dataflow, CancellationToken cancellationToken = default);

    /// <summary>Returns a dataflow, or null when there is none or the caller may not see its destination (so neither can be probed).</summary>
    /// <param name="caller">The caller.</param>
    /// <param name="id">The dataflow id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The dataflow or null.</returns>
    Task<ManagedDataflow?> GetAsync(ClaimsPrincipal caller, string id, CancellationToken cancellationToken = default);

    /// <summary>Lists the dataflows the caller may see, optionally filtered.</summary>
    /// <param name="caller">The caller.</param>
    /// <param name="search">Text matched (case-insensitively) against the name, id, destination name and destination type; null for all.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The dataflows, by name.</returns>
    Task<IReadOnlyList<ManagedDataflow>> ListAsync(ClaimsPrincipal caller, string? search = null, CancellationToken cancellationToken = default);

    /// <summary>Lists one page of the dataflows the caller may see, each with what the caller may do with it and its latest run.</summary>
    /// <param name="caller">The caller.</param>
    /// <param name="query">The search and the page.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page, by name, and how many match in all.</returns>
    Task<ExportPage<ManagedDataflow>> SearchAsync(ClaimsPrincipal caller, DataflowQuery query, CancellationToken cancellationToken = default);

    /// <summary>Validates and replaces a dataflow if <paramref name="etag"/> is current.</summary>
    /// <param name="caller">The caller.</param>
    /// <param name="dataflow">The new version (same id).</param>
    /// <param name="etag">The ETag it was read with.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The stored dataflow with its new ETag.</returns>
    /// <exception cref="ExportConcurrencyException">The ETag is stale.</exception>
    Task<ManagedDataflow> UpdateAsync(ClaimsPrincipal caller, DataflowDefinition dataflow, string etag, CancellationToken cancellationToken = default);

    /// <summary>Creates a new dataflow prefilled from an existing one, with a new id and name and its schedule switched off.</summary>
    /// <param name="caller">The caller.</param>
    /// <param name="id">The dataflow to copy.</param>
    /// <param name="newName">The new name; default "&lt;name&gt; (copy)".</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new dataflow.</returns>
    Task<ManagedDataflow> DuplicateAsync(ClaimsPrincipal caller, string id, string? newName = null, CancellationToken cancellationToken = default);

    /// <summary>Deletes a dataflow if <paramref name="etag"/> is current (its run history stays).</summary>
    /// <param name="caller">The caller.</param>
    /// <param name="id">The dataflow id.</param>
    /// <param name="etag">The ETag it was read with.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when it is deleted.</returns>
    /// <exception cref="ExportRunInProgressException">One of its runs is queued or running on a live host.</exception>
    Task DeleteAsync(ClaimsPrincipal caller, string id, string etag, CancellationToken cancellationToken = default);

    /// <summary>Switches a dataflow's schedules on or off.</summary>
    /// <param name="caller">The caller.</param>
    /// <param name="id">The dataflow id.</param>
    /// <param name="enabled">On or off.</param>
    /// <param name="etag">The ETag it was read with.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The stored dataflow with its new ETag.</returns>
    Task<ManagedDataflow> SetScheduleEnabledAsync(ClaimsPrincipal caller, string id, bool enabled, string etag, CancellationToken cancellationToken = default);

    /// <summary>
    /// Edits the schedules of several dataflows at once: only switch them on/off, or replace every audience's schedule
    /// with one. All are checked first; nothing changes unless every one is allowed, valid and current.
    /// </summary>
    /// <param name="caller">The caller.</param>
    /// <param name="edit">The dataflows and the change.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The updated dataflows.</returns>
    Task<IReadOnlyList<ManagedDataflow>> EditSchedulesAsync(ClaimsPrincipal caller, BulkScheduleEdit edit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Exports chosen audiences now (full), in addition to the schedule: the schedule and the incremental watermark are
    /// left alone. At most 80 audiences. Starts the run (<see cref="StartExportNowAsync"/>) and waits for it to end.
    /// </summary>
    /// <param name="caller">The caller.</param>
    /// <param name="id">The dataflow id.</param>
    /// <param name="audienceIds">The audiences.</param>
    /// <param name="progress">Receives progress; may be null.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The finished run.</returns>
    /// <exception cref="ExportValidationException">Too many audiences, an audience not in the dataflow, or outside its schedule window.</exception>
    /// <exception cref="ExportRunInProgressException">An audience is already being exported; names the audience, dataflow and run.</exception>
    Task<ExportRunRecord> ExportNowAsync(ClaimsPrincipal caller, string id, IReadOnlyList<string> audienceIds, IProgress<ExportProgress>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>Runs every audience of one dataflow now, even when its schedule is off.</summary>
    /// <param name="caller">The caller.</param>
    /// <param name="id">The dataflow id.</param>
    /// <param name="progress">Receives progress; may be null.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The finished run.</returns>
    Task<ExportRunRecord> RunAsync(ClaimsPrincipal caller, string id, IProgress<ExportProgress>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>Runs every dataflow whose schedule is on and that the caller may run; others are skipped.</summary>
    /// <param name="caller">The caller.</param>
    /// <param name="cancellationToken">Cancels the runs.</param>
    /// <returns>The finished runs.</returns>
    Task<IReadOnlyList<ExportRunRecord>> RunAllAsync(ClaimsPrincipal caller, CancellationToken cancellationToken = default);

    /// <summary>
    /// Starts "export now" (see <see cref="ExportNowAsync"/>) and returns at once: the run is claimed (a conflict is
    /// refused here) and executes in the background of this host; follow it with <see cref="GetRunAsync"/>.
    /// </summary>
    /// <param name="caller">The caller.</param>
    /// <param name="id">The dataflow id.</param>
    /// <param name="audienceIds">The audiences (at most 80).</param>
    /// <param name="cancellationToken">Cancels the start, not the run (use <see cref="CancelRunAsync"/>).</param>
    /// <returns>The run as recorded, queued.</returns>
    /// <exception cref="ExportValidationException">Too many audiences, an audience not in the dataflow, or outside its schedule window.</exception>
    /// <exception cref="ExportRunInProgressException">An audience is already being exported; names the audience, dataflow and run.</exception>
    Task<ExportRunRecord> StartExportNowAsync(ClaimsPrincipal caller, string id, IReadOnlyList<string> audienceIds, CancellationToken cancellationToken = default);

    /// <summary>Starts every audience of one dataflow, even when its schedule is off, and returns at once.</summary>
    /// <param name="caller">The caller.</param>
    /// <param name="id">The dataflow id.</param>
    /// <param name="cancellationToken">Cancels the start, not the run.</param>
    /// <returns>The run as recorded, queued.</returns>
    Task<ExportRunRecord> StartRunAsync(ClaimsPrincipal caller, string id, CancellationToken cancellationToken = default);

    /// <summary>Starts every dataflow whose schedule is on and that the caller may run, and returns at once with the ones skipped and why.</summary>
    /// <param name="caller">The caller.</param>
    /// <param name="cancellationToken">Cancels the start, not the runs.</param>
    /// <returns>The runs started and the dataflows skipped.</returns>
    Task<RunAllResult> StartRunAllAsync(ClaimsPrincipal caller, CancellationToken cancellationToken = default);

    /// <summary>Returns a run by id (of any host; with progress while it runs), or null when there is none or the caller may not see its export's destination.</summary>
    /// <param name="caller">The caller.</param>
    /// <param name="runId">The run id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The run or null.</returns>
    Task<ExportRunRecord?> GetRunAsync(ClaimsPrincipal caller, string runId, CancellationToken cancellationToken = default);

    /// <summary>Lists one page of a dataflow's runs, newest first, optionally of one status.</summary>
    /// <param name="caller">The caller.</param>
    /// <param name="id">The dataflow id.</param>
    /// <param name="query">The status and the page.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page and how many match in all.</returns>
    Task<ExportPage<ExportRunRecord>> SearchRunsAsync(ClaimsPrincipal caller, string id, RunQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Cancels a queued or running run, from any host: the run ends <see cref="ExportRunStatus.Cancelled"/> and leaves
    /// nothing at the destination, the watermark untouched. On this host it stops at once; on another, at its next
    /// progress save.
    /// </summary>
    /// <param name="caller">The caller.</param>
    /// <param name="runId">The run id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The run with the request recorded, or null when there is no such run (or the caller may not see it).</returns>
    /// <exception cref="ExportRunNotActiveException">The run has already ended.</exception>
    Task<ExportRunRecord?> CancelRunAsync(ClaimsPrincipal caller, string runId, CancellationToken cancellationToken = default);

    /// <summary>Lists the destination types that can be used (the catalog: settings, secrets, auth schemes).</summary>
    /// <param name="caller">The caller.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The types, by type name.</returns>
    Task<IReadOnlyList<DestinationDescriptor>> ListDestinationTypesAsync(ClaimsPrincipal caller, CancellationToken cancellationToken = default);

    /// <summary>Lists the registered audience sources (needs <see cref="ExportPermission.ViewSegments"/>).</summary>
    /// <param name="caller">The caller.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The sources, by name.</returns>
    Task<IReadOnlyList<SourceSummary>> ListSourcesAsync(ClaimsPrincipal caller, CancellationToken cancellationToken = default);

    /// <summary>Lists a source's audiences, optionally matching a search (needs <see cref="ExportPermission.ViewSegments"/>).</summary>
    /// <param name="caller">The caller.</param>
    /// <param name="source">The source name.</param>
    /// <param name="search">Text matched against the id and name; null for all.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The audiences by name, or null when there is no such source.</returns>
    Task<IReadOnlyList<AudienceInfo>?> ListAudiencesAsync(ClaimsPrincipal caller, string source, string? search = null, CancellationToken cancellationToken = default);

    /// <summary>Lists the attributes a source offers (needs <see cref="ExportPermission.ViewProfiles"/>); empty when it does not list them.</summary>
    /// <param name="caller">The caller.</param>
    /// <param name="source">The source name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The attributes with their types, or null when there is no such source.</returns>
    Task<IReadOnlyList<ExportColumn>?> ListAttributesAsync(ClaimsPrincipal caller, string source, CancellationToken cancellationToken = default);

    /// <summary>Lists a dataflow's runs, newest first.</summary>
    /// <param name="caller">The caller.</param>
    /// <param name="id">The dataflow id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The runs.</returns>
    Task<IReadOnlyList<ExportRunRecord>> ListRunsAsync(ClaimsPrincipal caller, string id, CancellationToken cancellationToken = default);

    /// <summary>Lists the destinations (declared in code or configuration) the caller may see, without their settings.</summary>
    /// <param name="caller">The caller.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The destinations, by name.</returns>
    Task<IReadOnlyList<DestinationSummary>> ListDestinationsAsync(ClaimsPrincipal caller, CancellationToken cancellationToken = default);

    /// <summary>
    /// Renders a file-name template as a run starting now would (needs <see cref="ExportPermission.ViewDestinations"/> on the
    /// destination), for a preview while the template is typed.
    /// </summary>
    /// <param name="caller">The caller.</param>
    /// <param name="request">The template, destination and audience.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The name with its extension.</returns>
    /// <exception cref="ExportValidationException">The template or destination is invalid; every problem names the field (<c>FileNameTemplate</c>, <c>Destination</c>).</exception>
    Task<FileNamePreview> PreviewFileNameAsync(ClaimsPrincipal caller, FileNamePreviewRequest request, CancellationToken cancellationToken = default);

    /// <summary>Tests a destination's connection (needs <see cref="ExportPermission.ManageDestinations"/>).</summary>
    /// <param name="caller">The caller.</param>
    /// <param name="destination">The destination name.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>The result.</returns>
    Task<ConnectionTestResult> TestDestinationAsync(ClaimsPrincipal caller, string destination, CancellationToken cancellationToken = default);
}
