using System.Security.Claims;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Exports.Sdk;

/// <summary>The management API of dataset exports: permissions, validation, the store, and runs through the shared run path.</summary>
internal sealed class DatasetExportManager(
    IExportStore store,
    IExportAuthorizationPolicy policy,
    IDestinationCatalog catalog,
    IOptions<ExportsOptions> options,
    IServiceProvider services,
    DatasetExportRunner runner,
    AudienceStateGate states,
    IEnumerable<DatasetSourceName> sourceNames,
    TimeProvider timeProvider) : IDatasetExportManager
{
    public async Task<ManagedDatasetExport> CreateAsync(ClaimsPrincipal caller, DatasetExportDefinition datasetExport, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(datasetExport);
        var copy = datasetExport.Clone();
        if (string.IsNullOrEmpty(copy.Id))
        {
            copy.Id = Guid.CreateVersion7(timeProvider.GetUtcNow()).ToString("N");
        }

        await RequireChangeAsync(caller, copy, $"create dataset export '{copy.Id}'", cancellationToken).ConfigureAwait(false);
        await ValidateAsync(copy, cancellationToken).ConfigureAwait(false);
        if (options.Value.DatasetExports.ContainsKey(copy.Id) || options.Value.Dataflows.ContainsKey(copy.Id))
        {
            throw new ExportConcurrencyException($"An export with the id '{copy.Id}' is declared in configuration.");
        }

        var created = await store.CreateDatasetExportAsync(copy, cancellationToken).ConfigureAwait(false);
        await StartOverAsync(copy, cancellationToken).ConfigureAwait(false);
        return await ForCallerAsync(caller, await ToManagedAsync(created, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
    }

    public async Task<ManagedDatasetExport?> GetAsync(ClaimsPrincipal caller, string id, CancellationToken cancellationToken = default)
    {
        await RequireAsync(caller, ExportPermission.ViewDestinations, null, $"view dataset export '{id}'", cancellationToken).ConfigureAwait(false);
        var found = await FindAsync(id, cancellationToken).ConfigureAwait(false);
        return found is not null && await policy.MayViewExportAsync(catalog, caller, found.Definition.Destination, cancellationToken).ConfigureAwait(false)
            ? await ForCallerAsync(caller, found, cancellationToken).ConfigureAwait(false)
            : null;
    }

    public async Task<ExportPage<ManagedDatasetExport>> SearchAsync(ClaimsPrincipal caller, DataflowQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(query);
        if (query.Skip < 0 || query.Take is < 1 or > 500)
        {
            throw new ExportValidationException($"Listing dataset exports: skip must be 0 or more and take between 1 and 500 (skip {query.Skip}, take {query.Take}).");
        }

        await RequireAsync(caller, ExportPermission.ViewDestinations, null, "list dataset exports", cancellationToken).ConfigureAwait(false);
        var visible = new List<ManagedDatasetExport>();
        foreach (var export in await AllAsync(cancellationToken).ConfigureAwait(false))
        {
            var destination = await catalog.FindForCheckAsync(export.Definition.Destination, cancellationToken).ConfigureAwait(false);
            if (Matches(export, query.Search) && await policy.IsAllowedAsync(caller, ExportPermission.ViewDestinations, destination, cancellationToken).ConfigureAwait(false))
            {
                visible.Add(export);
            }
        }

        var page = new List<ManagedDatasetExport>();
        foreach (var export in visible.OrderBy(d => d.Definition.DisplayName, StringComparer.OrdinalIgnoreCase).ThenBy(d => d.Definition.Id, StringComparer.Ordinal)
            .Skip(query.Skip).Take(query.Take))
        {
            page.Add(await ForCallerAsync(caller, export, cancellationToken).ConfigureAwait(false));
        }

        return new ExportPage<ManagedDatasetExport>(page, visible.Count);
    }

    public async Task<ManagedDatasetExport> UpdateAsync(ClaimsPrincipal caller, DatasetExportDefinition datasetExport, string etag, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(datasetExport);
        var current = await RequireStoredAsync(caller, datasetExport.Id, "update", cancellationToken).ConfigureAwait(false);
        await RequireChangeAsync(caller, current.Definition, $"update dataset export '{datasetExport.Id}'", cancellationToken).ConfigureAwait(false);
        await RequireChangeAsync(caller, datasetExport, $"update dataset export '{datasetExport.Id}'", cancellationToken).ConfigureAwait(false);
        await ValidateAsync(datasetExport, cancellationToken).ConfigureAwait(false);
        var startsOver = !string.Equals(current.Definition.Source, datasetExport.Source, StringComparison.Ordinal)
            || !string.Equals(current.Definition.DatasetId, datasetExport.DatasetId, StringComparison.Ordinal)
            || !string.Equals(current.Definition.WatermarkColumn, datasetExport.WatermarkColumn, StringComparison.Ordinal)
            || (current.Definition.Mode != ExportMode.FirstFullThenIncremental && datasetExport.Mode == ExportMode.FirstFullThenIncremental);
        if (startsOver)
        {
            await RunsInProgress.RequireNoneAsync(store, datasetExport.Id, $"Dataset export '{datasetExport.Id}' cannot change its source, dataset, watermark column or mode",
                timeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        }

        var updated = await store.UpdateDatasetExportAsync(datasetExport, etag, cancellationToken).ConfigureAwait(false);
        if (startsOver)
        {
            await StartOverAsync(datasetExport, cancellationToken).ConfigureAwait(false);
        }

        return await ForCallerAsync(caller, await ToManagedAsync(updated, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A watermark is a position in the data it was read from. An export created anew (under the id of a deleted one),
    /// switched to incremental, or now reading another source, dataset or watermark column drops the stored one, so its
    /// next incremental run is the full first run: kept, another column's position would fail every run (another type)
    /// or skip rows (the same type).
    /// </summary>
    private Task StartOverAsync(DatasetExportDefinition export, CancellationToken cancellationToken) =>
        states.UpdateAsync(export.Id, export.DatasetId, state => state.DatasetWatermark is null && state.RecentChanges is null
            ? null
            : state with { DatasetWatermark = null, RecentChanges = null }, cancellationToken);

    public async Task<ManagedDatasetExport> DuplicateAsync(ClaimsPrincipal caller, string id, string? newName = null, CancellationToken cancellationToken = default)
    {
        var source = await RequireVisibleAsync(caller, id, "duplicate", cancellationToken).ConfigureAwait(false);
        var copy = source.Definition.Clone();
        copy.Id = "";
        copy.Name = string.IsNullOrWhiteSpace(newName) ? $"{source.Definition.DisplayName} (copy)" : newName;
        // A copy firing on the same schedule would deliver every file twice; the user switches it on when ready.
        copy.ScheduleEnabled = false;
        return await CreateAsync(caller, copy, cancellationToken).ConfigureAwait(false);
    }

    public async Task DeleteAsync(ClaimsPrincipal caller, string id, string etag, CancellationToken cancellationToken = default)
    {
        var current = await RequireStoredAsync(caller, id, "delete", cancellationToken).ConfigureAwait(false);
        await RequireChangeAsync(caller, current.Definition, $"delete dataset export '{id}'", cancellationToken).ConfigureAwait(false);
        await RunsInProgress.RequireNoneAsync(store, id, $"Dataset export '{id}' cannot be deleted", timeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        await store.DeleteDatasetExportAsync(id, etag, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ManagedDatasetExport> SetScheduleEnabledAsync(ClaimsPrincipal caller, string id, bool enabled, string etag, CancellationToken cancellationToken = default)
    {
        var current = await RequireStoredAsync(caller, id, "switch the schedule of", cancellationToken).ConfigureAwait(false);
        await RequireChangeAsync(caller, current.Definition, $"switch the schedule of dataset export '{id}'", cancellationToken).ConfigureAwait(false);
        var changed = current.Definition.Clone();
        changed.ScheduleEnabled = enabled;
        return await ForCallerAsync(caller, await ToManagedAsync(await store.UpdateDatasetExportAsync(changed, etag, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
    }

    public async Task<ExportRunRecord> StartRunAsync(ClaimsPrincipal caller, string id, CancellationToken cancellationToken = default) =>
        (await StartCoreAsync(caller, id, null, cancellationToken).ConfigureAwait(false)).Record;

    public async Task<ExportRunRecord> RunAsync(ClaimsPrincipal caller, string id, IProgress<ExportProgress>? progress = null, CancellationToken cancellationToken = default) =>
        await ExportRunQueue.WaitAsync(await StartCoreAsync(caller, id, progress, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<string>> ListSourcesAsync(ClaimsPrincipal caller, CancellationToken cancellationToken = default)
    {
        await RequireAsync(caller, ExportPermission.ViewDestinations, null, "list dataset sources", cancellationToken).ConfigureAwait(false);
        return [.. sourceNames.Select(n => n.Name).Distinct(StringComparer.Ordinal).Order(StringComparer.OrdinalIgnoreCase)];
    }

    public async Task<IReadOnlyList<DatasetInfo>?> ListDatasetsAsync(ClaimsPrincipal caller, string source, string? search = null, CancellationToken cancellationToken = default)
    {
        await RequireAsync(caller, ExportPermission.ViewDestinations, null, $"list the datasets of source '{source}'", cancellationToken).ConfigureAwait(false);
        if (!sourceNames.Any(n => n.Name == source) || services.GetKeyedService<IDatasetSource>(source) is not { } found)
        {
            return null;
        }

        var datasets = new List<DatasetInfo>();
        await foreach (var dataset in found.ListDatasetsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (string.IsNullOrWhiteSpace(search)
                || dataset.Id.Contains(search.Trim(), StringComparison.OrdinalIgnoreCase)
                || dataset.Name.Contains(search.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                datasets.Add(dataset);
            }
        }

        return [.. datasets.OrderBy(d => d.Name, StringComparer.OrdinalIgnoreCase).ThenBy(d => d.Id, StringComparer.Ordinal)];
    }

    private async Task<ActiveRun> StartCoreAsync(ClaimsPrincipal caller, string id, IProgress<ExportProgress>? progress, CancellationToken cancellationToken)
    {
        var export = await RequireVisibleAsync(caller, id, "run", cancellationToken).ConfigureAwait(false);
        await RequireChangeAsync(caller, export.Definition, $"run dataset export '{id}'", cancellationToken).ConfigureAwait(false);
        return await runner.StartAsync(export.Definition, caller.Identity?.Name, progress, cancellationToken).ConfigureAwait(false);
    }

    private async Task ValidateAsync(DatasetExportDefinition export, CancellationToken cancellationToken)
    {
        // Declared destinations and those created at run time alike.
        var destinationExists = !string.IsNullOrEmpty(export.Destination) && await catalog.FindDefinitionAsync(export.Destination, cancellationToken).ConfigureAwait(false) is not null;
        var problems = DatasetExportValidator.Validate(
            export,
            source => sourceNames.Any(n => n.Name == source),
            name => destinationExists && string.Equals(name, export.Destination, StringComparison.OrdinalIgnoreCase)).ToList();
        if (export.Output is { } output)
        {
            problems.AddRange(ExportOutputValidator.Validate($"Dataset export '{export.Id}'", output, services.GetServices<IExportFormat>()));
        }

        if (problems.Count > 0)
        {
            throw new ExportValidationException(problems);
        }
    }

    private async Task<IReadOnlyList<ManagedDatasetExport>> AllAsync(CancellationToken cancellationToken)
    {
        var all = new List<ManagedDatasetExport>();
        foreach (var configured in options.Value.DatasetExports.Values)
        {
            all.Add(await FromConfigurationAsync(configured, cancellationToken).ConfigureAwait(false));
        }

        await foreach (var stored in store.ListDatasetExportsAsync(cancellationToken).ConfigureAwait(false))
        {
            all.Add(await ToManagedAsync(stored, cancellationToken).ConfigureAwait(false));
        }

        return all;
    }

    private async Task<ManagedDatasetExport?> FindAsync(string id, CancellationToken cancellationToken)
    {
        if (options.Value.DatasetExports.TryGetValue(id, out var configured))
        {
            return await FromConfigurationAsync(configured, cancellationToken).ConfigureAwait(false);
        }

        var stored = await store.GetDatasetExportAsync(id, cancellationToken).ConfigureAwait(false);
        return stored is null ? null : await ToManagedAsync(stored, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The dataset export, if the caller may see it (see <see cref="ExportAuthorizationPolicyExtensions.MayViewExportAsync"/>).</summary>
    private async Task<ManagedDatasetExport> RequireVisibleAsync(ClaimsPrincipal caller, string id, string operation, CancellationToken cancellationToken)
    {
        await RequireAsync(caller, ExportPermission.ViewDestinations, null, $"{operation} dataset export '{id}'", cancellationToken).ConfigureAwait(false);
        var found = await FindAsync(id, cancellationToken).ConfigureAwait(false);
        return found is not null && await policy.MayViewExportAsync(catalog, caller, found.Definition.Destination, cancellationToken).ConfigureAwait(false)
            ? found
            : throw new ExportNotFoundException($"There is no dataset export '{id}'.");
    }

    private async Task<ManagedDatasetExport> RequireStoredAsync(ClaimsPrincipal caller, string id, string operation, CancellationToken cancellationToken)
    {
        var found = await RequireVisibleAsync(caller, id, operation, cancellationToken).ConfigureAwait(false);
        return found.IsReadOnly
            ? throw new ExportValidationException($"Cannot {operation} dataset export '{id}': it is declared in configuration; change it there.")
            : found;
    }

    private async Task<ManagedDatasetExport> ToManagedAsync(StoredDatasetExport stored, CancellationToken cancellationToken) => new()
    {
        Definition = stored.Definition.Clone(),
        ETag = stored.ETag,
        CreatedAt = stored.CreatedAt,
        UpdatedAt = stored.UpdatedAt,
        DestinationType = await DestinationTypeAsync(stored.Definition, cancellationToken).ConfigureAwait(false),
    };

    private async Task<ManagedDatasetExport> FromConfigurationAsync(DatasetExportDefinition export, CancellationToken cancellationToken) => new()
    {
        Definition = export.Clone(),
        // Configuration changes only with a restart; a content hash is a stable token for it.
        ETag = "config-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
            JsonSerializer.SerializeToUtf8Bytes(export, ExportStoreJsonContext.Default.DatasetExportDefinition)))[..16],
        IsReadOnly = true,
        DestinationType = await DestinationTypeAsync(export, cancellationToken).ConfigureAwait(false),
    };

    private async Task<string> DestinationTypeAsync(DatasetExportDefinition export, CancellationToken cancellationToken) =>
        (await catalog.FindDefinitionAsync(export.Destination, cancellationToken).ConfigureAwait(false))?.Type ?? "";

    /// <summary>Adds what this caller may do with the export, its latest run and its watermark.</summary>
    private async Task<ManagedDatasetExport> ForCallerAsync(ClaimsPrincipal caller, ManagedDatasetExport export, CancellationToken cancellationToken)
    {
        var permissions = DataflowPermissions.View;
        var destination = await catalog.FindForCheckAsync(export.Definition.Destination, cancellationToken).ConfigureAwait(false);
        if (await policy.IsAllowedAsync(caller, ExportPermission.ManageDatasetExports, destination, cancellationToken).ConfigureAwait(false))
        {
            permissions |= DataflowPermissions.Run | (export.IsReadOnly ? DataflowPermissions.None : DataflowPermissions.Edit);
        }

        ExportRunSummary? lastRun = null;
        await foreach (var run in store.ListRunsAsync(export.Definition.Id, cancellationToken).ConfigureAwait(false))
        {
            lastRun = new ExportRunSummary(run.RunId, run.Status, run.CreatedAt, run.EndedAt);
            break;
        }

        var state = await store.GetAudienceStateAsync(export.Definition.Id, export.Definition.DatasetId, cancellationToken).ConfigureAwait(false);
        return export with
        {
            Permissions = permissions,
            LastRun = lastRun,
            Watermark = export.Definition.Mode == ExportMode.FirstFullThenIncremental ? state?.DatasetWatermark : null,
        };
    }

    private static bool Matches(ManagedDatasetExport export, string? search)
    {
        if (string.IsNullOrWhiteSpace(search))
        {
            return true;
        }

        var d = export.Definition;
        return new[] { d.Id, d.Name, d.DatasetId, d.Destination, export.DestinationType }
            .Any(text => text?.Contains(search.Trim(), StringComparison.OrdinalIgnoreCase) == true);
    }

    /// <summary>Changing or running a dataset export means managing and activating its destination.</summary>
    private async Task RequireChangeAsync(ClaimsPrincipal caller, DatasetExportDefinition export, string operation, CancellationToken cancellationToken)
    {
        await RequireAsync(caller, ExportPermission.ViewDestinations, export.Destination, operation, cancellationToken).ConfigureAwait(false);
        await RequireAsync(caller, ExportPermission.ManageDatasetExports, export.Destination, operation, cancellationToken).ConfigureAwait(false);
    }

    private Task RequireAsync(ClaimsPrincipal caller, ExportPermission permission, string? destination, string operation, CancellationToken cancellationToken) =>
        policy.RequireAsync(catalog, caller, permission, destination, operation, cancellationToken);
}
