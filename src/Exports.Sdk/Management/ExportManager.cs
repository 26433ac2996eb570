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
    TimeProvider timeProvider) : IExportManager
{
    /// <summary>The most audiences one "export now" request may name.</summary>
    public const int MaxAudiencesPerRequest = 80;

    public async Task<ManagedDataflow> CreateAsync(ClaimsPrincipal caller, DataflowDefinition dataflow, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataflow);
        var copy = dataflow.Clone();
        if (string.IsNullOrEmpty(copy.Id))
        {
            copy.Id = Guid.CreateVersion7(timeProvider.GetUtcNow()).ToString("N");
        }

        await RequireChangeAsync(caller, copy, $"create dataflow '{copy.Id}'", cancellationToken).ConfigureAwait(false);
        Validate(copy);
        if (options.Value.Dataflows.ContainsKey(copy.Id))
        {
            throw new ExportConcurrencyException($"A dataflow with the id '{copy.Id}' is declared in configuration.");
        }

        return ToManaged(await store.CreateDataflowAsync(copy, cancellationToken).ConfigureAwait(false));
    }

    public async Task<ManagedDataflow?> GetAsync(ClaimsPrincipal caller, string id, CancellationToken cancellationToken = default)
    {
        var found = await FindAsync(id, cancellationToken).ConfigureAwait(false);
        if (found is null)
        {
            return null;
        }

        await RequireAsync(caller, ExportPermission.ViewDestinations, found.Definition.Destination, $"view dataflow '{id}'", cancellationToken).ConfigureAwait(false);
        return found;
    }

    public async Task<IReadOnlyList<ManagedDataflow>> ListAsync(ClaimsPrincipal caller, string? search = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        await RequireAsync(caller, ExportPermission.ViewDestinations, null, "list dataflows", cancellationToken).ConfigureAwait(false);
        var visible = new List<ManagedDataflow>();
        foreach (var dataflow in await AllAsync(cancellationToken).ConfigureAwait(false))
        {
            if (Matches(dataflow, search)
                && await policy.IsAllowedAsync(caller, ExportPermission.ViewDestinations, TryGetDestination(dataflow.Definition.Destination), cancellationToken).ConfigureAwait(false))
            {
                visible.Add(dataflow);
            }
        }

        return [.. visible.OrderBy(d => d.Definition.DisplayName, StringComparer.OrdinalIgnoreCase).ThenBy(d => d.Definition.Id, StringComparer.Ordinal)];
    }

    public async Task<ManagedDataflow> UpdateAsync(ClaimsPrincipal caller, DataflowDefinition dataflow, string etag, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataflow);
        var current = await RequireStoredAsync(dataflow.Id, "update", cancellationToken).ConfigureAwait(false);
        await RequireChangeAsync(caller, current.Definition, $"update dataflow '{dataflow.Id}'", cancellationToken).ConfigureAwait(false);
        await RequireChangeAsync(caller, dataflow, $"update dataflow '{dataflow.Id}'", cancellationToken).ConfigureAwait(false);
        Validate(dataflow);
        return ToManaged(await store.UpdateDataflowAsync(dataflow, etag, cancellationToken).ConfigureAwait(false));
    }

    public async Task<ManagedDataflow> DuplicateAsync(ClaimsPrincipal caller, string id, string? newName = null, CancellationToken cancellationToken = default)
    {
        var source = await FindAsync(id, cancellationToken).ConfigureAwait(false)
            ?? throw new ExportValidationException($"There is no dataflow '{id}' to duplicate.");
        await RequireAsync(caller, ExportPermission.ViewDestinations, source.Definition.Destination, $"duplicate dataflow '{id}'", cancellationToken).ConfigureAwait(false);
        var copy = source.Definition.Clone();
        copy.Id = "";
        copy.Name = string.IsNullOrWhiteSpace(newName) ? $"{source.Definition.DisplayName} (copy)" : newName;
        // A copy that fired on the same schedule would export everything twice; the user switches it on when ready.
        copy.ScheduleEnabled = false;
        return await CreateAsync(caller, copy, cancellationToken).ConfigureAwait(false);
    }

    public async Task DeleteAsync(ClaimsPrincipal caller, string id, string etag, CancellationToken cancellationToken = default)
    {
        var current = await RequireStoredAsync(id, "delete", cancellationToken).ConfigureAwait(false);
        await RequireChangeAsync(caller, current.Definition, $"delete dataflow '{id}'", cancellationToken).ConfigureAwait(false);
        await store.DeleteDataflowAsync(id, etag, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ManagedDataflow> SetScheduleEnabledAsync(ClaimsPrincipal caller, string id, bool enabled, string etag, CancellationToken cancellationToken = default)
    {
        var current = await RequireStoredAsync(id, "switch the schedule of", cancellationToken).ConfigureAwait(false);
        await RequireChangeAsync(caller, current.Definition, $"switch the schedule of dataflow '{id}'", cancellationToken).ConfigureAwait(false);
        var changed = current.Definition.Clone();
        changed.ScheduleEnabled = enabled;
        return ToManaged(await store.UpdateDataflowAsync(changed, etag, cancellationToken).ConfigureAwait(false));
    }

    public async Task<IReadOnlyList<ManagedDataflow>> EditSchedulesAsync(ClaimsPrincipal caller, BulkScheduleEdit edit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(edit);
        var changes = new List<(DataflowDefinition Dataflow, string ETag)>();
        var problems = new List<string>();
        foreach (var (id, etag) in edit.DataflowETags)
        {
            var current = await RequireStoredAsync(id, "edit the schedule of", cancellationToken).ConfigureAwait(false);
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

        var updated = new List<ManagedDataflow>();
        foreach (var (dataflow, etag) in changes)
        {
            updated.Add(ToManaged(await store.UpdateDataflowAsync(dataflow, etag, cancellationToken).ConfigureAwait(false)));
        }

        return updated;
    }

    public async Task<ExportRunRecord> ExportNowAsync(ClaimsPrincipal caller, string id, IReadOnlyList<string> audienceIds, IProgress<ExportProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(audienceIds);
        var dataflow = await RequireAsync(id, cancellationToken).ConfigureAwait(false);
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

        return await runner.RunAsync(dataflow.Definition, new RunStart
        {
            AudienceIds = [.. audienceIds.Distinct(StringComparer.Ordinal)],
            Trigger = ExportRunTrigger.OnDemand,
            RequestedBy = caller.Identity?.Name,
        }, progress, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ExportRunRecord> RunAsync(ClaimsPrincipal caller, string id, IProgress<ExportProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var dataflow = await RequireAsync(id, cancellationToken).ConfigureAwait(false);
        await RequireRunAsync(caller, dataflow.Definition, $"run dataflow '{id}'", cancellationToken).ConfigureAwait(false);
        return await runner.RunAsync(dataflow.Definition, new RunStart
        {
            AudienceIds = [.. dataflow.Definition.Audiences.Select(a => a.AudienceId)],
            Trigger = ExportRunTrigger.OnDemand,
            RequestedBy = caller.Identity?.Name,
        }, progress, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<ExportRunRecord>> RunAllAsync(ClaimsPrincipal caller, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        await RequireAsync(caller, ExportPermission.ActivateDestinations, null, "run all exports", cancellationToken).ConfigureAwait(false);
        var runs = new List<ExportRunRecord>();
        foreach (var dataflow in await AllAsync(cancellationToken).ConfigureAwait(false))
        {
            var definition = dataflow.Definition;
            if (!definition.ScheduleEnabled || !definition.Audiences.Exists(a => a.Schedule is not null)
                || !await MayRunAsync(caller, definition, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            try
            {
                runs.Add(await runner.RunAsync(definition, new RunStart
                {
                    AudienceIds = [.. definition.Audiences.Select(a => a.AudienceId)],
                    Trigger = ExportRunTrigger.RunAll,
                    RequestedBy = caller.Identity?.Name,
                }, null, cancellationToken).ConfigureAwait(false));
            }
            catch (ExportRunInProgressException)
            {
                // Already being exported: "run all" does not queue a second copy.
            }
        }

        return runs;
    }

    public async Task<IReadOnlyList<ExportRunRecord>> ListRunsAsync(ClaimsPrincipal caller, string id, CancellationToken cancellationToken = default)
    {
        var dataflow = await FindAsync(id, cancellationToken).ConfigureAwait(false);
        await RequireAsync(caller, ExportPermission.ViewDestinations, dataflow?.Definition.Destination, $"list the runs of dataflow '{id}'", cancellationToken).ConfigureAwait(false);
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
        foreach (var destination in options.Value.Destinations.Values.OrderBy(d => d.Name, StringComparer.OrdinalIgnoreCase))
        {
            if (await policy.IsAllowedAsync(caller, ExportPermission.ViewDestinations, destination, cancellationToken).ConfigureAwait(false))
            {
                visible.Add(new DestinationSummary(destination.Name, destination.Type, providers.GetValueOrDefault(destination.Type, destination.Type),
                    destination.FolderPath, destination.Output.Format.Name, destination.Output.Format.Compression));
            }
        }

        return visible;
    }

    public async Task<ConnectionTestResult> TestDestinationAsync(ClaimsPrincipal caller, string destination, CancellationToken cancellationToken = default)
    {
        await RequireAsync(caller, ExportPermission.ManageDestinations, destination, $"test destination '{destination}'", cancellationToken).ConfigureAwait(false);
        return await catalog.GetDestination(destination).TestConnectionAsync(cancellationToken).ConfigureAwait(false);
    }

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

    private void Validate(DataflowDefinition dataflow)
    {
        var isKeyed = services.GetService<IServiceProviderIsKeyedService>();
        var problems = DataflowValidator.Validate(
            dataflow,
            isKeyed is null ? null : source => isKeyed.IsKeyedService(typeof(IAudienceSource), source),
            name => options.Value.Destinations.ContainsKey(name));
        if (problems.Count > 0)
        {
            throw new ExportValidationException(problems);
        }
    }

    private async Task<IReadOnlyList<ManagedDataflow>> AllAsync(CancellationToken cancellationToken)
    {
        var all = options.Value.Dataflows.Values.Select(FromConfiguration).ToList();
        await foreach (var stored in store.ListDataflowsAsync(cancellationToken).ConfigureAwait(false))
        {
            all.Add(ToManaged(stored));
        }

        return all;
    }

    private async Task<ManagedDataflow?> FindAsync(string id, CancellationToken cancellationToken)
    {
        if (options.Value.Dataflows.TryGetValue(id, out var configured))
        {
            return FromConfiguration(configured);
        }

        var stored = await store.GetDataflowAsync(id, cancellationToken).ConfigureAwait(false);
        return stored is null ? null : ToManaged(stored);
    }

    private async Task<ManagedDataflow> RequireAsync(string id, CancellationToken cancellationToken) =>
        await FindAsync(id, cancellationToken).ConfigureAwait(false) ?? throw new ExportValidationException($"There is no dataflow '{id}'.");

    private async Task<ManagedDataflow> RequireStoredAsync(string id, string operation, CancellationToken cancellationToken)
    {
        var found = await RequireAsync(id, cancellationToken).ConfigureAwait(false);
        return found.IsReadOnly
            ? throw new ExportValidationException($"Cannot {operation} dataflow '{id}': it is declared in configuration; change it there.")
            : found;
    }

    private ManagedDataflow ToManaged(StoredDataflow stored) => new()
    {
        Definition = stored.Definition.Clone(),
        ETag = stored.ETag,
        CreatedAt = stored.CreatedAt,
        UpdatedAt = stored.UpdatedAt,
        DestinationType = TryGetDestination(stored.Definition.Destination)?.Type ?? "",
    };

    private ManagedDataflow FromConfiguration(DataflowDefinition dataflow) => new()
    {
        Definition = dataflow.Clone(),
        // Configuration changes only with a restart; a content hash is a stable token for it.
        ETag = "config-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
            JsonSerializer.SerializeToUtf8Bytes(dataflow, ExportStoreJsonContext.Default.DataflowDefinition)))[..16],
        IsReadOnly = true,
        DestinationType = TryGetDestination(dataflow.Destination)?.Type ?? "",
    };

    private DestinationDefinition? TryGetDestination(string name) =>
        options.Value.Destinations.TryGetValue(name, out var destination) ? destination : null;

    private async Task RequireAsync(ClaimsPrincipal caller, ExportPermission permission, string? destination, string operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var definition = destination is null ? null : TryGetDestination(destination);
        if (!await policy.IsAllowedAsync(caller, permission, definition, cancellationToken).ConfigureAwait(false))
        {
            throw new ExportAccessDeniedException(caller.Identity?.Name ?? "(anonymous)", permission, operation, destination);
        }
    }

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
        var destination = TryGetDestination(dataflow.Destination);
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
