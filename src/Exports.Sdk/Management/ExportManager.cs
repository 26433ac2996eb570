using System.Security.Claims;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Exports.Sdk;

/// <summary>The management API: permissions, validation, the store, and runs through the shared run path (ExportRunner).</summary>
internal sealed class ExportManager(
    IExportStore store,
    IExportAuthorizationPolicy policy,
    IDestinationCatalog catalog,
    IOptions<ExportsOptions> options,
    IServiceProvider services,
    ExportRunner runner,
    ExportRunQueue queue,
    ActiveRuns active,
    AudienceStateGate states,
    IEnumerable<AudienceSourceName> sourceNames,
    TimeProvider timeProvider) : IExportManager
{
    /// <summary>The most audiences one "export now" request may name.</summary>
    public const int MaxAudiencesPerRequest = ExportLimits.MaxAudiencesPerExportNow;

    public async Task<ManagedDataflow> CreateAsync(ClaimsPrincipal caller, DataflowDefinition dataflow, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataflow);
        var copy = dataflow.Clone();
        if (string.IsNullOrEmpty(copy.Id))
        {
            copy.Id = Guid.CreateVersion7(timeProvider.GetUtcNow()).ToString("N");
        }

        await RequireChangeAsync(caller, copy, $"create dataflow '{copy.Id}'", cancellationToken).ConfigureAwait(false);
        await ValidateAsync(copy, cancellationToken).ConfigureAwait(false);
        // Ids are shared by both kinds (runs are found by them), as DatasetExportManager checks too.
        if (options.Value.Dataflows.ContainsKey(copy.Id) || options.Value.DatasetExports.ContainsKey(copy.Id))
        {
            throw new ExportConcurrencyException($"An export with the id '{copy.Id}' is declared in configuration.");
        }

        var created = await store.CreateDataflowAsync(copy, cancellationToken).ConfigureAwait(false);
        await StartOverAsync(copy.Id, copy.Audiences, cancellationToken).ConfigureAwait(false);
        return await ToManagedAsync(created, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ManagedDataflow?> GetAsync(ClaimsPrincipal caller, string id, CancellationToken cancellationToken = default)
    {
        await RequireAsync(caller, ExportPermission.ViewDestinations, null, $"view dataflow '{id}'", cancellationToken).ConfigureAwait(false);
        var found = await FindAsync(id, cancellationToken).ConfigureAwait(false);
        return found is not null && await policy.MayViewExportAsync(catalog, caller, found.Definition.Destination, cancellationToken).ConfigureAwait(false)
            ? await ForCallerAsync(caller, found, cancellationToken).ConfigureAwait(false)
            : null;
    }

    public async Task<IReadOnlyList<ManagedDataflow>> ListAsync(ClaimsPrincipal caller, string? search = null, CancellationToken cancellationToken = default) =>
        (await SearchAsync(caller, new DataflowQuery { Search = search, Take = int.MaxValue }, cancellationToken).ConfigureAwait(false)).Items;

    public async Task<ExportPage<ManagedDataflow>> SearchAsync(ClaimsPrincipal caller, DataflowQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(query);
        CheckPage(query.Skip, query.Take, "dataflows");
        await RequireAsync(caller, ExportPermission.ViewDestinations, null, "list dataflows", cancellationToken).ConfigureAwait(false);
        var visible = new List<ManagedDataflow>();
        var destinations = await DestinationsAsync(cancellationToken).ConfigureAwait(false);
        foreach (var dataflow in await AllAsync(cancellationToken).ConfigureAwait(false))
        {
            if (Matches(dataflow, query.Search)
                && await policy.IsAllowedAsync(caller, ExportPermission.ViewDestinations, ExportAuthorizationPolicyExtensions.ForCheck(dataflow.Definition.Destination, destinations.GetValueOrDefault(dataflow.Definition.Destination)), cancellationToken).ConfigureAwait(false))
            {
                visible.Add(dataflow);
            }
        }

        var page = new List<ManagedDataflow>();
        foreach (var dataflow in visible.OrderBy(d => d.Definition.DisplayName, StringComparer.OrdinalIgnoreCase).ThenBy(d => d.Definition.Id, StringComparer.Ordinal)
            .Skip(query.Skip).Take(query.Take))
        {
            page.Add(await ForCallerAsync(caller, dataflow, cancellationToken).ConfigureAwait(false));
        }

        return new ExportPage<ManagedDataflow>(page, visible.Count);
    }

    public async Task<ManagedDataflow> UpdateAsync(ClaimsPrincipal caller, DataflowDefinition dataflow, string etag, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataflow);
        var current = await RequireStoredAsync(caller, dataflow.Id, "update", cancellationToken).ConfigureAwait(false);
        await RequireChangeAsync(caller, current.Definition, $"update dataflow '{dataflow.Id}'", cancellationToken).ConfigureAwait(false);
        await RequireChangeAsync(caller, dataflow, $"update dataflow '{dataflow.Id}'", cancellationToken).ConfigureAwait(false);
        await ValidateAsync(dataflow, cancellationToken).ConfigureAwait(false);
        var sameSource = string.Equals(current.Definition.Source, dataflow.Source, StringComparison.Ordinal);
        var startingOver = dataflow.Audiences.Where(a => !sameSource || current.Definition.Audiences.FirstOrDefault(c => c.AudienceId == a.AudienceId) is not { } before
            || (before.Mode != ExportMode.FirstFullThenIncremental && a.Mode == ExportMode.FirstFullThenIncremental)).ToList();
        if (startingOver.Count > 0)
        {
            await RunsInProgress.RequireNoneAsync(store, dataflow.Id, $"Dataflow '{dataflow.Id}' cannot change its source, add audiences or switch them to incremental",
                timeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        }

        var updated = await store.UpdateDataflowAsync(dataflow, etag, cancellationToken).ConfigureAwait(false);
        await StartOverAsync(dataflow.Id, startingOver, cancellationToken).ConfigureAwait(false);
        return await ToManagedAsync(updated, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Audiences that start incremental exports anew: of a dataflow created (perhaps under the id of a deleted one), newly
    /// added, switched to incremental, or read from another source. Their stored watermark is dropped, so the next
    /// incremental run is the full first run, not a continuation of what another export delivered.
    /// </summary>
    private async Task StartOverAsync(string dataflowId, IEnumerable<AudienceActivation> audiences, CancellationToken cancellationToken)
    {
        foreach (var audience in audiences)
        {
            await states.UpdateAsync(dataflowId, audience.AudienceId, state => state.Watermark is null && state.RecentChanges is null
                ? null
                : state with { Watermark = null, RecentChanges = null }, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<ManagedDataflow> DuplicateAsync(ClaimsPrincipal caller, string id, string? newName = null, CancellationToken cancellationToken = default)
    {
        var source = await RequireVisibleAsync(caller, id, "duplicate", cancellationToken).ConfigureAwait(false);
        var copy = source.Definition.Clone();
        copy.Id = "";
        copy.Name = string.IsNullOrWhiteSpace(newName) ? $"{source.Definition.DisplayName} (copy)" : newName;
        // A copy that fired on the same schedule would export everything twice; the user switches it on when ready.
        copy.ScheduleEnabled = false;
        return await CreateAsync(caller, copy, cancellationToken).ConfigureAwait(false);
    }

    public async Task DeleteAsync(ClaimsPrincipal caller, string id, string etag, CancellationToken cancellationToken = default)
    {
        var current = await RequireStoredAsync(caller, id, "delete", cancellationToken).ConfigureAwait(false);
        await RequireChangeAsync(caller, current.Definition, $"delete dataflow '{id}'", cancellationToken).ConfigureAwait(false);
        await RunsInProgress.RequireNoneAsync(store, id, $"Dataflow '{id}' cannot be deleted", timeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        await store.DeleteDataflowAsync(id, etag, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ManagedDataflow> SetScheduleEnabledAsync(ClaimsPrincipal caller, string id, bool enabled, string etag, CancellationToken cancellationToken = default)
    {
        var current = await RequireStoredAsync(caller, id, "switch the schedule of", cancellationToken).ConfigureAwait(false);
        await RequireChangeAsync(caller, current.Definition, $"switch the schedule of dataflow '{id}'", cancellationToken).ConfigureAwait(false);
        var changed = current.Definition.Clone();
        changed.ScheduleEnabled = enabled;
        return await ToManagedAsync(await store.UpdateDataflowAsync(changed, etag, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<ManagedDataflow>> EditSchedulesAsync(ClaimsPrincipal caller, BulkScheduleEdit edit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(edit);
        if (edit.Enable is null && edit.ReplaceSchedule is null)
        {
            // It would change nothing but every ETag, making other editors' copies stale for no reason.
            throw new ExportValidationException("A bulk schedule edit needs Enable or ReplaceSchedule: this one changes nothing.");
        }

        var changes = new List<(DataflowDefinition Dataflow, string ETag)>();
        var problems = new List<string>();
        foreach (var (id, etag) in edit.DataflowETags)
        {
            var current = await RequireStoredAsync(caller, id, "edit the schedule of", cancellationToken).ConfigureAwait(false);
            await RequireChangeAsync(caller, current.Definition, $"edit the schedule of dataflow '{id}'", cancellationToken).ConfigureAwait(false);
            if (current.ETag != etag)
            {
                throw new ExportConcurrencyException($"Cannot edit the schedule of dataflow '{id}': it was changed by someone else (ETag '{etag}' is stale). Nothing was changed.");
            }

            var changed = current.Definition.Clone();
            if (edit.Enable is { } enable)
            {
                changed.ScheduleEnabled = enable;
            }

            if (edit.ReplaceSchedule is { } schedule)
            {
                foreach (var audience in changed.Audiences)
                {
                    audience.Schedule = schedule.Clone();
                }
            }

            problems.AddRange(DataflowValidator.Validate(changed));
            changes.Add((changed, etag));
        }

        if (problems.Count > 0)
        {
            throw new ExportValidationException(problems);
        }

        // One step in the store: a dataflow changed since the checks above makes the whole edit fail, none half-applied.
        var stored = await store.UpdateDataflowsAsync([.. changes.Select(c => new DataflowUpdate(c.Dataflow, c.ETag))], cancellationToken).ConfigureAwait(false);
        var types = await DestinationsAsync(cancellationToken).ConfigureAwait(false);
        return [.. stored.Select(s => ToManaged(s, types.GetValueOrDefault(s.Definition.Destination)?.Type))];
    }

    public async Task<ExportRunRecord> ExportNowAsync(ClaimsPrincipal caller, string id, IReadOnlyList<string> audienceIds, IProgress<ExportProgress>? progress = null, CancellationToken cancellationToken = default) =>
        await ExportRunQueue.WaitAsync(await StartExportNowCoreAsync(caller, id, audienceIds, progress, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    public async Task<ExportRunRecord> StartExportNowAsync(ClaimsPrincipal caller, string id, IReadOnlyList<string> audienceIds, CancellationToken cancellationToken = default) =>
        (await StartExportNowCoreAsync(caller, id, audienceIds, null, cancellationToken).ConfigureAwait(false)).Record;

    public async Task<ExportRunRecord> RunAsync(ClaimsPrincipal caller, string id, IProgress<ExportProgress>? progress = null, CancellationToken cancellationToken = default) =>
        await ExportRunQueue.WaitAsync(await StartRunCoreAsync(caller, id, progress, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    public async Task<ExportRunRecord> StartRunAsync(ClaimsPrincipal caller, string id, CancellationToken cancellationToken = default) =>
        (await StartRunCoreAsync(caller, id, null, cancellationToken).ConfigureAwait(false)).Record;

    public async Task<IReadOnlyList<ExportRunRecord>> RunAllAsync(ClaimsPrincipal caller, CancellationToken cancellationToken = default)
    {
        var (started, _) = await StartRunAllCoreAsync(caller, cancellationToken).ConfigureAwait(false);
        // The caller's token cancels every run started, and every one is waited for before a failure is rethrown.
        return await Task.WhenAll(started.Select(run => ExportRunQueue.WaitAsync(run, cancellationToken))).ConfigureAwait(false);
    }

    public async Task<RunAllResult> StartRunAllAsync(ClaimsPrincipal caller, CancellationToken cancellationToken = default)
    {
        var (started, skipped) = await StartRunAllCoreAsync(caller, cancellationToken).ConfigureAwait(false);
        return new RunAllResult([.. started.Select(r => r.Record)], skipped);
    }

    public async Task<ExportRunRecord?> GetRunAsync(ClaimsPrincipal caller, string runId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentException.ThrowIfNullOrEmpty(runId);
        await RequireAsync(caller, ExportPermission.ViewDestinations, null, $"view run '{runId}'", cancellationToken).ConfigureAwait(false);
        var run = await store.FindRunAsync(runId, cancellationToken).ConfigureAwait(false);
        if (run is null)
        {
            return null;
        }

        return await policy.MayViewExportAsync(catalog, caller, await RunDestinationAsync(run, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false) ? run : null;
    }

    public async Task<ExportPage<ExportRunRecord>> SearchRunsAsync(ClaimsPrincipal caller, string id, RunQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        CheckPage(query.Skip, query.Take, "runs");
        if (query.Status is { } status && !Enum.IsDefined(status))
        {
            // A number a query string can hold, e.g. status=99: refused rather than matched by no run.
            throw new ExportValidationException($"Runs of export '{id}': Status '{status}' is not one of {string.Join(", ", Enum.GetNames<ExportRunStatus>())}.");
        }

        await RequireAsync(caller, ExportPermission.ViewDestinations, null, $"list the runs of export '{id}'", cancellationToken).ConfigureAwait(false);
        var destination = await RunsDestinationAsync(id, cancellationToken).ConfigureAwait(false);
        await RequireRunsVisibleAsync(caller, id, destination, cancellationToken).ConfigureAwait(false);
        // Each run stays behind the destination it wrote to (an export may have moved since). Who may see a destination
        // shared with no one (an administrator, by the default policy) gets the store's page, each of its runs checked
        // still; anyone else, or a page with a run they may not see, a page read from the history with those left out.
        var allowed = new Dictionary<string, bool>(StringComparer.OrdinalIgnoreCase);
        async ValueTask<bool> Visible(ExportRunRecord run)
        {
            // A record from before runs kept their destination: the export's (as RunDestinationAsync, without a lookup a run).
            var wrote = run.Destination ?? destination ?? UnrecordedDestination;
            if (!allowed.TryGetValue(wrote, out var may))
            {
                allowed[wrote] = may = await policy.MayViewExportAsync(catalog, caller, wrote, cancellationToken).ConfigureAwait(false);
            }

            return may;
        }

        ExportPage<ExportRunRecord>? page = null;
        if (store is IExportStoreRunQueries queries && await policy.MayViewExportAsync(catalog, caller, UnrecordedDestination, cancellationToken).ConfigureAwait(false))
        {
            page = await queries.SearchRunsAsync(id, query, cancellationToken).ConfigureAwait(false);
            foreach (var run in page.Items)
            {
                if (!await Visible(run).ConfigureAwait(false))
                {
                    page = null;
                    break;
                }
            }
        }

        page ??= await SearchRunsInListAsync(id, query, Visible, cancellationToken).ConfigureAwait(false);
        if (destination is null && page.TotalCount == 0 && query.Status is null)
        {
            // Runs outlive a deleted export; an id with neither is unknown.
            throw new ExportNotFoundException($"There is no dataflow or dataset export '{id}'.");
        }

        return page;
    }

    /// <summary>A page of runs from the whole history, for a store that cannot page it itself or a caller who may not see every run.</summary>
    private async Task<ExportPage<ExportRunRecord>> SearchRunsInListAsync(string id, RunQuery query, Func<ExportRunRecord, ValueTask<bool>> visible, CancellationToken cancellationToken)
    {
        var page = new List<ExportRunRecord>();
        var total = 0;
        await foreach (var run in store.ListRunsAsync(id, cancellationToken).ConfigureAwait(false))
        {
            if ((query.Status is { } status && run.Status != status) || !await visible(run).ConfigureAwait(false))
            {
                continue;
            }

            if (total >= query.Skip && page.Count < query.Take)
            {
                page.Add(run);
            }

            total++;
        }

        return new ExportPage<ExportRunRecord>(page, total);
    }

    public async Task<ExportRunRecord?> CancelRunAsync(ClaimsPrincipal caller, string runId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentException.ThrowIfNullOrEmpty(runId);
        await RequireAsync(caller, ExportPermission.ViewDestinations, null, $"cancel run '{runId}'", cancellationToken).ConfigureAwait(false);
        var run = await store.FindRunAsync(runId, cancellationToken).ConfigureAwait(false);
        if (run is null)
        {
            return null;
        }

        if (!await policy.MayViewExportAsync(catalog, caller, await RunDestinationAsync(run, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var dataflow = await FindAsync(run.DataflowId, cancellationToken).ConfigureAwait(false);
        if (dataflow is null && run.Kind == ExportFlowKind.DatasetExport)
        {
            var destination = await DestinationOfAsync(run.DataflowId, cancellationToken).ConfigureAwait(false) ?? RecordedDestination(run);
            await RequireAsync(caller, ExportPermission.ManageDatasetExports, destination, $"cancel run '{runId}' of dataset export '{run.DataflowId}'", cancellationToken).ConfigureAwait(false);
        }
        else if (dataflow is null)
        {
            await RequireAsync(caller, ExportPermission.ActivateDestinations, RecordedDestination(run), $"cancel run '{runId}'", cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await RequireRunAsync(caller, dataflow.Definition, $"cancel run '{runId}' of dataflow '{run.DataflowId}'", cancellationToken).ConfigureAwait(false);
        }

        if (!run.IsActive)
        {
            throw NotActive(run);
        }

        // Recorded in the store first, so the host running it (this one or another) and every reader sees the request.
        var by = caller.Identity?.Name;
        var requested = await store.RequestRunCancellationAsync(run.DataflowId, runId, by, cancellationToken).ConfigureAwait(false) ?? run;
        if (!requested.IsActive)
        {
            throw NotActive(requested);
        }

        if (active.TryGet(runId, out var local))
        {
            // Running here: stop now rather than at the next progress save.
            local.Cancel(ActiveRun.CancelRequested(by), by);
        }

        return requested;
    }

    public async Task<IReadOnlyList<DestinationDescriptor>> ListDestinationTypesAsync(ClaimsPrincipal caller, CancellationToken cancellationToken = default)
    {
        await RequireAsync(caller, ExportPermission.ViewDestinations, null, "list destination types", cancellationToken).ConfigureAwait(false);
        return [.. catalog.Providers.OrderBy(d => d.Type, StringComparer.OrdinalIgnoreCase)];
    }

    public async Task<IReadOnlyList<SourceSummary>> ListSourcesAsync(ClaimsPrincipal caller, CancellationToken cancellationToken = default)
    {
        await RequireAsync(caller, ExportPermission.ViewSegments, null, "list sources", cancellationToken).ConfigureAwait(false);
        return [.. sourceNames.Select(n => n.Name).Distinct(StringComparer.Ordinal).Order(StringComparer.OrdinalIgnoreCase)
            .Select(name => new SourceSummary(name, services.GetKeyedService<IAudienceSource>(name) is IAudienceAttributeSource))];
    }

    public async Task<IReadOnlyList<AudienceInfo>?> ListAudiencesAsync(ClaimsPrincipal caller, string source, string? search = null, CancellationToken cancellationToken = default)
    {
        await RequireAsync(caller, ExportPermission.ViewSegments, null, $"list the audiences of source '{source}'", cancellationToken).ConfigureAwait(false);
        if (FindSource(source) is not { } found)
        {
            return null;
        }

        var audiences = new List<AudienceInfo>();
        await foreach (var audience in found.ListAudiencesAsync(cancellationToken).ConfigureAwait(false))
        {
            if (string.IsNullOrWhiteSpace(search)
                || audience.Id.Contains(search.Trim(), StringComparison.OrdinalIgnoreCase)
                || audience.Name.Contains(search.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                audiences.Add(audience);
            }
        }

        return [.. audiences.OrderBy(a => a.Name, StringComparer.OrdinalIgnoreCase).ThenBy(a => a.Id, StringComparer.Ordinal)];
    }

    public async Task<IReadOnlyList<ExportColumn>?> ListAttributesAsync(ClaimsPrincipal caller, string source, CancellationToken cancellationToken = default)
    {
        await RequireAsync(caller, ExportPermission.ViewProfiles, null, $"list the attributes of source '{source}'", cancellationToken).ConfigureAwait(false);
        if (FindSource(source) is not { } found)
        {
            return null;
        }

        var attributes = new List<ExportColumn>();
        if (found is IAudienceAttributeSource lister)
        {
            await foreach (var attribute in lister.ListAttributesAsync(cancellationToken).ConfigureAwait(false))
            {
                attributes.Add(attribute);
            }
        }

        return attributes;
    }

    public async Task<IReadOnlyList<ExportRunRecord>> ListRunsAsync(ClaimsPrincipal caller, string id, CancellationToken cancellationToken = default)
    {
        await RequireAsync(caller, ExportPermission.ViewDestinations, null, $"list the runs of export '{id}'", cancellationToken).ConfigureAwait(false);
        var destination = await RunsDestinationAsync(id, cancellationToken).ConfigureAwait(false);
        await RequireRunsVisibleAsync(caller, id, destination, cancellationToken).ConfigureAwait(false);
        var runs = new List<ExportRunRecord>();
        await foreach (var run in store.ListRunsAsync(id, cancellationToken).ConfigureAwait(false))
        {
            runs.Add(run);
        }

        return runs;
    }

    public async Task<IReadOnlyList<DestinationSummary>> ListDestinationsAsync(ClaimsPrincipal caller, CancellationToken cancellationToken = default)
    {
        await RequireAsync(caller, ExportPermission.ViewDestinations, null, "list destinations", cancellationToken).ConfigureAwait(false);
        var providers = catalog.Providers.ToDictionary(p => p.Type, p => p.DisplayName, StringComparer.OrdinalIgnoreCase);
        var visible = new List<DestinationSummary>();
        foreach (var destination in (await DestinationsAsync(cancellationToken).ConfigureAwait(false)).Values.OrderBy(d => d.Name, StringComparer.OrdinalIgnoreCase))
        {
            if (await policy.IsAllowedAsync(caller, ExportPermission.ViewDestinations, destination, cancellationToken).ConfigureAwait(false))
            {
                visible.Add(new DestinationSummary(destination.Name, destination.Type, providers.GetValueOrDefault(destination.Type, destination.Type),
                    destination.FolderPath, destination.Output.Format.Name, destination.Output.Format.Compression)
                {
                    CanActivate = await policy.IsAllowedAsync(caller, ExportPermission.ActivateDestinations, destination, cancellationToken).ConfigureAwait(false),
                    CanManage = await policy.IsAllowedAsync(caller, ExportPermission.ManageDestinations, destination, cancellationToken).ConfigureAwait(false),
                });
            }
        }

        return visible;
    }

    public async Task<FileNamePreview> PreviewFileNameAsync(ClaimsPrincipal caller, FileNamePreviewRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        // An unknown destination and one the caller may not see get the same answer, so names cannot be probed.
        if (string.IsNullOrWhiteSpace(request.Destination) || await catalog.FindDefinitionAsync(request.Destination, cancellationToken).ConfigureAwait(false) is not { } destination
            || !await policy.IsAllowedAsync(caller, ExportPermission.ViewDestinations, destination, cancellationToken).ConfigureAwait(false))
        {
            throw new ExportValidationException($"Destination: '{request.Destination}' is not a destination you may use.");
        }

        var problems = FileNameTemplate.Validate(request.Template);
        if (problems.Count > 0)
        {
            throw new ExportValidationException([.. problems.Select(p => $"FileNameTemplate: {p}")]);
        }

        var target = await ExportTarget.ResolveAsync(catalog, services.GetServices<IExportFormat>(), request.Destination, request.Output, cancellationToken).ConfigureAwait(false);
        var template = FileNameTemplate.Parse(request.Template);
        var audienceId = string.IsNullOrWhiteSpace(request.AudienceId) ? "audience-id" : request.AudienceId;
        var name = template.Render(new FileNameContext
        {
            DestinationName = target.Definition.Name,
            DestinationId = target.Definition.EffectiveId,
            SegmentId = audienceId,
            SegmentName = request.AudienceName ?? audienceId,
            OrganizationName = request.OrganizationName,
            SandboxName = request.SandboxName,
            Time = timeProvider.GetUtcNow(),
        });
        var compressed = target.Format.SupportsCompression && target.Output.Format.Compression == ExportCompression.Gzip;
        return new FileNamePreview($"{name}.{target.Format.FileExtension}{(compressed ? ".gz" : "")}", template.IsStatic);
    }

    public async Task<ConnectionTestResult> TestDestinationAsync(ClaimsPrincipal caller, string destination, CancellationToken cancellationToken = default)
    {
        await RequireAsync(caller, ExportPermission.ManageDestinations, destination, $"test destination '{destination}'", cancellationToken).ConfigureAwait(false);
        return await (await catalog.GetDestinationAsync(destination, cancellationToken).ConfigureAwait(false)).TestConnectionAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<ActiveRun> StartExportNowCoreAsync(ClaimsPrincipal caller, string id, IReadOnlyList<string> audienceIds, IProgress<ExportProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(audienceIds);
        var dataflow = await RequireVisibleAsync(caller, id, "export now", cancellationToken).ConfigureAwait(false);
        await RequireRunAsync(caller, dataflow.Definition, $"export dataflow '{id}' now", cancellationToken).ConfigureAwait(false);

        var problems = new List<string>();
        if (audienceIds.Count == 0)
        {
            problems.Add($"Export now on dataflow '{id}' needs at least one audience.");
        }

        if (audienceIds.Count > MaxAudiencesPerRequest)
        {
            problems.Add($"Export now on dataflow '{id}' names {audienceIds.Count} audiences; at most {MaxAudiencesPerRequest} per request.");
        }

        var now = timeProvider.GetUtcNow();
        foreach (var audienceId in audienceIds.Distinct(StringComparer.Ordinal))
        {
            var activation = dataflow.Definition.Audiences.Find(a => a.AudienceId == audienceId);
            if (activation is null)
            {
                problems.Add($"Audience '{audienceId}' is not part of dataflow '{id}'.");
            }
            else if (activation.Schedule is { } schedule && !InWindow(schedule, now))
            {
                problems.Add($"Audience '{audienceId}' of dataflow '{id}' cannot be exported now: its schedule runs from {schedule.StartDate:yyyy-MM-dd}" +
                    (schedule.EndDate is { } end ? $" until {end:yyyy-MM-dd} (exclusive)" : "") + $" and it is {now.UtcDateTime:yyyy-MM-dd HH:mm} UTC.");
            }
        }

        if (problems.Count > 0)
        {
            throw new ExportValidationException(problems);
        }

        return await StartAsync(dataflow.Definition, new RunStart
        {
            AudienceIds = [.. audienceIds.Distinct(StringComparer.Ordinal)],
            Trigger = ExportRunTrigger.OnDemand,
            RequestedBy = caller.Identity?.Name,
        }, progress, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ActiveRun> StartRunCoreAsync(ClaimsPrincipal caller, string id, IProgress<ExportProgress>? progress, CancellationToken cancellationToken)
    {
        var dataflow = await RequireVisibleAsync(caller, id, "run", cancellationToken).ConfigureAwait(false);
        await RequireRunAsync(caller, dataflow.Definition, $"run dataflow '{id}'", cancellationToken).ConfigureAwait(false);
        return await StartAsync(dataflow.Definition, new RunStart
        {
            AudienceIds = [.. dataflow.Definition.Audiences.Select(a => a.AudienceId)],
            Trigger = ExportRunTrigger.OnDemand,
            RequestedBy = caller.Identity?.Name,
        }, progress, cancellationToken).ConfigureAwait(false);
    }

    private async Task<(List<ActiveRun> Started, List<SkippedDataflow> Skipped)> StartRunAllCoreAsync(ClaimsPrincipal caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        await RequireAsync(caller, ExportPermission.ActivateDestinations, null, "run all exports", cancellationToken).ConfigureAwait(false);
        var started = new List<ActiveRun>();
        var skipped = new List<SkippedDataflow>();
        var now = timeProvider.GetUtcNow();
        foreach (var dataflow in (await AllAsync(cancellationToken).ConfigureAwait(false)).OrderBy(d => d.Definition.DisplayName, StringComparer.OrdinalIgnoreCase))
        {
            var definition = dataflow.Definition;
            // An export the caller may not see is not named, not even as skipped.
            if (!await policy.IsAllowedAsync(caller, ExportPermission.ViewDestinations, await catalog.FindForCheckAsync(definition.Destination, cancellationToken).ConfigureAwait(false), cancellationToken)
                .ConfigureAwait(false))
            {
                continue;
            }

            // "Run all" runs the scheduled audiences whose schedule window (start and end dates) includes today.
            var due = definition.Audiences.Where(a => a.Schedule is { } schedule && InWindow(schedule, now)).Select(a => a.AudienceId).ToList();
            var reason = !definition.ScheduleEnabled ? "its schedule is switched off"
                : !definition.Audiences.Exists(a => a.Schedule is not null) ? "it has no schedule"
                : due.Count == 0 ? "no audience's schedule includes now"
                : !await MayRunAsync(caller, definition, cancellationToken).ConfigureAwait(false) ? "you may not run it"
                : null;
            if (reason is not null)
            {
                skipped.Add(new SkippedDataflow(definition.Id, $"Dataflow '{definition.DisplayName}' was not run: {reason}."));
                continue;
            }

            try
            {
                started.Add(await StartAsync(definition, new RunStart
                {
                    AudienceIds = [.. due],
                    Trigger = ExportRunTrigger.RunAll,
                    RequestedBy = caller.Identity?.Name,
                }, null, cancellationToken).ConfigureAwait(false));
            }
            catch (ExportRunInProgressException ex)
            {
                // Already being exported: "run all" does not queue a second copy.
                skipped.Add(new SkippedDataflow(definition.Id, ex.Message));
            }
        }

        return (started, skipped);
    }

    /// <summary>Claims the run (conflicts are refused here, synchronously) and hands it to the queue.</summary>
    private async Task<ActiveRun> StartAsync(DataflowDefinition dataflow, RunStart start, IProgress<ExportProgress>? progress, CancellationToken cancellationToken)
    {
        var run = await runner.ClaimQueuedAsync(dataflow, start, cancellationToken).ConfigureAwait(false);
        run.AddListener(progress);
        queue.Enqueue(run, runner.Plan(dataflow, start, run.Record));
        return run;
    }

    /// <summary>Adds what this caller may do with the dataflow and its latest run.</summary>
    private async Task<ManagedDataflow> ForCallerAsync(ClaimsPrincipal caller, ManagedDataflow dataflow, CancellationToken cancellationToken)
    {
        var permissions = DataflowPermissions.View;
        if (await MayRunAsync(caller, dataflow.Definition, cancellationToken).ConfigureAwait(false))
        {
            permissions |= DataflowPermissions.Run | (dataflow.IsReadOnly ? DataflowPermissions.None : DataflowPermissions.Edit);
        }

        ExportRunSummary? lastRun = null;
        await foreach (var run in store.ListRunsAsync(dataflow.Definition.Id, cancellationToken).ConfigureAwait(false))
        {
            lastRun = new ExportRunSummary(run.RunId, run.Status, run.CreatedAt, run.EndedAt);
            break;
        }

        return dataflow with { Permissions = permissions, LastRun = lastRun };
    }

    /// <summary>The destination of a dataflow or dataset export (for permission checks), or null when there is none.</summary>
    private async Task<string?> DestinationOfAsync(string exportId, CancellationToken cancellationToken) =>
        (await FindAsync(exportId, cancellationToken).ConfigureAwait(false))?.Definition.Destination
            ?? options.Value.DatasetExports.GetValueOrDefault(exportId)?.Destination
            ?? (await store.GetDatasetExportAsync(exportId, cancellationToken).ConfigureAwait(false))?.Definition.Destination;

    /// <summary>The runs of an export the caller may not see are answered as those of an unknown export.</summary>
    private async Task RequireRunsVisibleAsync(ClaimsPrincipal caller, string id, string? destination, CancellationToken cancellationToken)
    {
        if (!await policy.MayViewExportAsync(catalog, caller, destination, cancellationToken).ConfigureAwait(false))
        {
            throw new ExportNotFoundException($"There is no dataflow or dataset export '{id}'.");
        }
    }

    /// <summary>
    /// The destination an export's runs are checked against, a single run's as a list's: the export's own, or for a
    /// deleted export the one its newest run wrote to (runs outlive their export), so they are not open to every
    /// contributor.
    /// </summary>
    private async Task<string?> RunsDestinationAsync(string exportId, CancellationToken cancellationToken)
    {
        if (await DestinationOfAsync(exportId, cancellationToken).ConfigureAwait(false) is { } destination)
        {
            return destination;
        }

        await foreach (var run in store.ListRunsAsync(exportId, cancellationToken).ConfigureAwait(false))
        {
            return RecordedDestination(run);
        }

        return null;
    }

    /// <summary>A name no destination can have, which the policy treats as one shared with no one.</summary>
    private const string UnrecordedDestination = "(unrecorded destination)";

    /// <summary>
    /// The destination a run recorded; for a record from before runs kept it, a name no destination can have, which the
    /// policy treats as one shared with no one.
    /// </summary>
    private static string RecordedDestination(ExportRunRecord run) => run.Destination ?? UnrecordedDestination;

    /// <summary>
    /// What a run is checked against: the destination it wrote to, so runs written before an export moved stay behind
    /// the old destination's sharing; for a record from before runs kept it, its export's.
    /// </summary>
    private async Task<string> RunDestinationAsync(ExportRunRecord run, CancellationToken cancellationToken) =>
        run.Destination ?? await DestinationOfAsync(run.DataflowId, cancellationToken).ConfigureAwait(false) ?? UnrecordedDestination;

    private IAudienceSource? FindSource(string name) =>
        sourceNames.Any(n => n.Name == name) ? services.GetKeyedService<IAudienceSource>(name) : null;

    private static void CheckPage(int skip, int take, string what)
    {
        if (skip < 0 || take < 1 || (take > 500 && take != int.MaxValue))
        {
            throw new ExportValidationException($"Listing {what}: skip must be 0 or more and take between 1 and 500 (skip {skip}, take {take}).");
        }
    }

    private static ExportRunNotActiveException NotActive(ExportRunRecord run) =>
        new($"Run '{run.RunId}' of {(run.Kind == ExportFlowKind.DatasetExport ? "dataset export" : "dataflow")} '{run.DataflowId}' cannot be cancelled: it has already ended ({run.Status}).");

    private static bool InWindow(ExportSchedule schedule, DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        return today >= schedule.StartDate && (schedule.EndDate is not { } end || today < end);
    }

    private static bool Matches(ManagedDataflow dataflow, string? search)
    {
        if (string.IsNullOrWhiteSpace(search))
        {
            return true;
        }

        var d = dataflow.Definition;
        return new[] { d.Id, d.Name, d.Destination, dataflow.DestinationType }
            .Any(text => text?.Contains(search.Trim(), StringComparison.OrdinalIgnoreCase) == true);
    }

    private async Task ValidateAsync(DataflowDefinition dataflow, CancellationToken cancellationToken)
    {
        var isKeyed = services.GetService<IServiceProviderIsKeyedService>();
        // Declared destinations and those created at run time alike.
        var destinationExists = !string.IsNullOrEmpty(dataflow.Destination) && await catalog.FindDefinitionAsync(dataflow.Destination, cancellationToken).ConfigureAwait(false) is not null;
        var problems = DataflowValidator.Validate(
            dataflow,
            isKeyed is null ? null : source => isKeyed.IsKeyedService(typeof(IAudienceSource), source),
            name => destinationExists && string.Equals(name, dataflow.Destination, StringComparison.OrdinalIgnoreCase)).ToList();
        if (dataflow.Output is { } output)
        {
            problems.AddRange(ExportOutputValidator.Validate($"Dataflow '{dataflow.Id}'", output, services.GetServices<IExportFormat>()));
        }

        if (problems.Count > 0)
        {
            throw new ExportValidationException(problems);
        }
    }

    private async Task<IReadOnlyList<ManagedDataflow>> AllAsync(CancellationToken cancellationToken)
    {
        var destinations = await DestinationsAsync(cancellationToken).ConfigureAwait(false);
        var all = options.Value.Dataflows.Values.Select(d => FromConfiguration(d, destinations.GetValueOrDefault(d.Destination)?.Type)).ToList();
        await foreach (var stored in store.ListDataflowsAsync(cancellationToken).ConfigureAwait(false))
        {
            all.Add(ToManaged(stored, destinations.GetValueOrDefault(stored.Definition.Destination)?.Type));
        }

        return all;
    }

    private async Task<ManagedDataflow?> FindAsync(string id, CancellationToken cancellationToken)
    {
        if (options.Value.Dataflows.TryGetValue(id, out var configured))
        {
            return FromConfiguration(configured, (await catalog.FindDefinitionAsync(configured.Destination, cancellationToken).ConfigureAwait(false))?.Type);
        }

        var stored = await store.GetDataflowAsync(id, cancellationToken).ConfigureAwait(false);
        return stored is null ? null : await ToManagedAsync(stored, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The dataflow, if the caller may see it (see <see cref="ExportAuthorizationPolicyExtensions.MayViewExportAsync"/>).</summary>
    private async Task<ManagedDataflow> RequireVisibleAsync(ClaimsPrincipal caller, string id, string operation, CancellationToken cancellationToken)
    {
        await RequireAsync(caller, ExportPermission.ViewDestinations, null, $"{operation} dataflow '{id}'", cancellationToken).ConfigureAwait(false);
        var found = await FindAsync(id, cancellationToken).ConfigureAwait(false);
        return found is not null && await policy.MayViewExportAsync(catalog, caller, found.Definition.Destination, cancellationToken).ConfigureAwait(false)
            ? found
            : throw new ExportNotFoundException($"There is no dataflow '{id}'.");
    }

    private async Task<ManagedDataflow> RequireStoredAsync(ClaimsPrincipal caller, string id, string operation, CancellationToken cancellationToken)
    {
        var found = await RequireVisibleAsync(caller, id, operation, cancellationToken).ConfigureAwait(false);
        return found.IsReadOnly
            ? throw new ExportValidationException($"Cannot {operation} dataflow '{id}': it is declared in configuration; change it there.")
            : found;
    }

    private async Task<ManagedDataflow> ToManagedAsync(StoredDataflow stored, CancellationToken cancellationToken) =>
        ToManaged(stored, (await catalog.FindDefinitionAsync(stored.Definition.Destination, cancellationToken).ConfigureAwait(false))?.Type);

    /// <summary>Every destination, declared and created at run time, by name (for types and permission checks).</summary>
    private async Task<Dictionary<string, DestinationDefinition>> DestinationsAsync(CancellationToken cancellationToken)
    {
        // Declared ones through the catalog, which follows configuration reloads.
        var all = catalog.Destinations.ToDictionary(d => d.Name, StringComparer.OrdinalIgnoreCase);
        await foreach (var stored in store.ListDestinationsAsync(cancellationToken).ConfigureAwait(false))
        {
            all.TryAdd(stored.Definition.Name, stored.Definition);
        }

        return all;
    }

    private static ManagedDataflow ToManaged(StoredDataflow stored, string? destinationType) => new()
    {
        Definition = stored.Definition.Clone(),
        ETag = stored.ETag,
        CreatedAt = stored.CreatedAt,
        UpdatedAt = stored.UpdatedAt,
        DestinationType = destinationType ?? "",
    };

    private static ManagedDataflow FromConfiguration(DataflowDefinition dataflow, string? destinationType) => new()
    {
        Definition = dataflow.Clone(),
        // Configuration changes only with a restart; a content hash is a stable token for it.
        ETag = "config-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
            JsonSerializer.SerializeToUtf8Bytes(dataflow, ExportStoreJsonContext.Default.DataflowDefinition)))[..16],
        IsReadOnly = true,
        DestinationType = destinationType ?? "",
    };

    private Task RequireAsync(ClaimsPrincipal caller, ExportPermission permission, string? destination, string operation, CancellationToken cancellationToken) =>
        policy.RequireAsync(catalog, caller, permission, destination, operation, cancellationToken);

    /// <summary>Changing an export means activating its destination with the profiles and segments it reads.</summary>
    private async Task RequireChangeAsync(ClaimsPrincipal caller, DataflowDefinition dataflow, string operation, CancellationToken cancellationToken)
    {
        foreach (var permission in NeededToActivate(dataflow))
        {
            await RequireAsync(caller, permission, dataflow.Destination, operation, cancellationToken).ConfigureAwait(false);
        }
    }

    private Task RequireRunAsync(ClaimsPrincipal caller, DataflowDefinition dataflow, string operation, CancellationToken cancellationToken) =>
        RequireChangeAsync(caller, dataflow, operation, cancellationToken);

    private async Task<bool> MayRunAsync(ClaimsPrincipal caller, DataflowDefinition dataflow, CancellationToken cancellationToken)
    {
        var destination = await catalog.FindForCheckAsync(dataflow.Destination, cancellationToken).ConfigureAwait(false);
        foreach (var permission in NeededToActivate(dataflow))
        {
            if (!await policy.IsAllowedAsync(caller, permission, destination, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }
        }

        return true;
    }

    private static IEnumerable<ExportPermission> NeededToActivate(DataflowDefinition dataflow)
    {
        yield return ExportPermission.ViewDestinations;
        yield return ExportPermission.ActivateDestinations;
        yield return ExportPermission.ViewProfiles;
        yield return ExportPermission.ViewSegments;
        if (dataflow.IdentityNamespaces.Count > 0)
        {
            yield return ExportPermission.ViewIdentityGraph;
        }
    }
}
