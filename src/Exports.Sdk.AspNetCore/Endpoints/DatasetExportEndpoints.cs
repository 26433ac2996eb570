using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Exports.Sdk.AspNetCore;

/// <summary>
/// Dataset exports (seed 004): the dataset picker (sources and their datasets with schemas), list and search, create,
/// read, edit with ETags, duplicate, delete, switch the schedule, run now, and their runs beside the dataflows' runs
/// (one run is read and cancelled at <c>runs/{runId}</c>, whatever its kind).
/// </summary>
internal static class DatasetExportEndpoints
{
    public static void Map(RouteGroupBuilder group, bool named)
    {
        group.MapGet(ExportsApiRoutes.DatasetSources, ListSourcesAsync)
            .WithSummary("Lists the registered dataset sources.");
        group.MapGet(ExportsApiRoutes.DatasetSourceDatasets, ListDatasetsAsync)
            .WithSummary("Lists a source's datasets with their columns where the source knows them, optionally matching a search.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet(ExportsApiRoutes.DatasetExports, ListAsync)
            .WithSummary("Lists and searches dataset exports (name, id, dataset, destination name or type), each with the caller's permission, its last run and its watermark.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        group.MapPost(ExportsApiRoutes.DatasetExports, CreateAsync)
            .WithSummary("Creates a dataset export.")
            .AcceptsJson<DatasetExportDefinition>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet(ExportsApiRoutes.DatasetExport, GetAsync)
            .WithNameIf(named, ExportsApiRoutes.GetDatasetExportName)
            .WithSummary("Returns one dataset export, with its ETag.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPut(ExportsApiRoutes.DatasetExport, ReplaceAsync)
            .WithSummary("Replaces a dataset export; needs If-Match.")
            .AcceptsJson<DatasetExportDefinition>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
        group.MapDelete(ExportsApiRoutes.DatasetExport, DeleteAsync)
            .WithSummary("Deletes a dataset export (its runs stay on record; refused while one of its runs is under way); needs If-Match.")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
        group.MapPost(ExportsApiRoutes.DuplicateDatasetExport, DuplicateAsync)
            .WithSummary("Creates a duplicate: same settings, new id and name, schedule switched off.")
            .AcceptsJson<DuplicateRequest>();
        group.MapPost(ExportsApiRoutes.DatasetExportSchedule, SwitchAsync)
            .WithSummary("Switches a dataset export's schedule on or off; needs If-Match.")
            .AcceptsJson<ScheduleSwitchRequest>()
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
        group.MapPost(ExportsApiRoutes.RunDatasetExport, RunAsync)
            .WithSummary("Exports the whole dataset now, even when the schedule is off (the watermark is left alone); answers at once with the run to follow.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet(ExportsApiRoutes.DatasetExportRuns, ListRunsAsync)
            .WithSummary("A dataset export's runs, newest first, with metrics; filter by status, page with skip and take.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<Ok<IReadOnlyList<string>>> ListSourcesAsync(ClaimsPrincipal user, IDatasetExportManager manager, CancellationToken cancellationToken) =>
        TypedResults.Ok(await manager.ListSourcesAsync(user, cancellationToken).ConfigureAwait(false));

    private static async Task<Results<Ok<IReadOnlyList<DatasetInfo>>, ProblemHttpResult>> ListDatasetsAsync(
        string name, string? search, ClaimsPrincipal user, IDatasetExportManager manager, CancellationToken cancellationToken) =>
        await manager.ListDatasetsAsync(user, name, search, cancellationToken).ConfigureAwait(false) is { } datasets
            ? TypedResults.Ok(datasets)
            : ExportProblems.NotFound($"There is no dataset source '{name}'.");

    private static async Task<Results<Ok<ExportPage<ManagedDatasetExport>>, ProblemHttpResult>> ListAsync(
        string? search, int? skip, int? take, ClaimsPrincipal user, IDatasetExportManager manager, IOptions<ExportsHttpApiOptions> options, CancellationToken cancellationToken)
    {
        if (Paging.Check(skip, take, options.Value) is { } problem)
        {
            return problem;
        }

        return TypedResults.Ok(await manager.SearchAsync(user, new DataflowQuery { Search = search, Skip = skip ?? 0, Take = take ?? options.Value.MaxPageSize }, cancellationToken).ConfigureAwait(false));
    }

    private static async Task<Results<Created<DatasetExportDefinition>, ProblemHttpResult>> CreateAsync(HttpContext http, ClaimsPrincipal user, IDatasetExportManager manager, CancellationToken cancellationToken)
    {
        var export = await JsonBody.ReadAsync<DatasetExportDefinition>(http, "a new dataset export").ConfigureAwait(false);
        ManagedDatasetExport created;
        try
        {
            created = await manager.CreateAsync(user, export, cancellationToken).ConfigureAwait(false);
        }
        catch (ExportConcurrencyException ex)
        {
            // On create, a clash is with an existing id, not a stale ETag.
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status409Conflict, title: "Already exists");
        }

        ETagHeader.Set(http, created.ETag);
        return TypedResults.Created(ApiLinks.DatasetExport(http, created.Definition.Id), created.Definition);
    }

    private static async Task<Results<Ok<DatasetExportDefinition>, ProblemHttpResult>> GetAsync(string id, HttpContext http, ClaimsPrincipal user, IDatasetExportManager manager, CancellationToken cancellationToken)
    {
        if (await manager.GetAsync(user, id, cancellationToken).ConfigureAwait(false) is not { } found)
        {
            return ExportProblems.NotFound($"There is no dataset export '{id}'.");
        }

        ETagHeader.Set(http, found.ETag);
        return TypedResults.Ok(found.Definition);
    }

    private static async Task<Results<Ok<DatasetExportDefinition>, ProblemHttpResult>> ReplaceAsync(string id, HttpContext http, ClaimsPrincipal user, IDatasetExportManager manager, CancellationToken cancellationToken)
    {
        if (ETagHeader.ReadIfMatch(http.Request) is not { } etag)
        {
            return ExportProblems.IfMatchRequired($"dataset export '{id}'");
        }

        var export = await JsonBody.ReadAsync<DatasetExportDefinition>(http, $"dataset export '{id}'").ConfigureAwait(false);
        if (!string.IsNullOrEmpty(export.Id) && export.Id != id)
        {
            return ExportProblems.BadRequest($"The body's id '{export.Id}' is not the id in the path, '{id}'; a dataset export's id cannot change.");
        }

        export.Id = id;
        // An unknown id is ExportNotFoundException from the manager: 404.
        var updated = await manager.UpdateAsync(user, export, etag, cancellationToken).ConfigureAwait(false);
        ETagHeader.Set(http, updated.ETag);
        return TypedResults.Ok(updated.Definition);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string id, HttpContext http, ClaimsPrincipal user, IDatasetExportManager manager, CancellationToken cancellationToken)
    {
        if (ETagHeader.ReadIfMatch(http.Request) is not { } etag)
        {
            return ExportProblems.IfMatchRequired($"dataset export '{id}'");
        }

        await manager.DeleteAsync(user, id, etag, cancellationToken).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    private static async Task<Created<DatasetExportDefinition>> DuplicateAsync(string id, HttpContext http, ClaimsPrincipal user, IDatasetExportManager manager, CancellationToken cancellationToken)
    {
        var request = await JsonBody.ReadAsync<DuplicateRequest>(http, $"the duplicate of dataset export '{id}'", optional: true).ConfigureAwait(false);
        var copy = await manager.DuplicateAsync(user, id, request?.Name, cancellationToken).ConfigureAwait(false);
        ETagHeader.Set(http, copy.ETag);
        return TypedResults.Created(ApiLinks.DatasetExport(http, copy.Definition.Id), copy.Definition);
    }

    private static async Task<Results<Ok<DatasetExportDefinition>, ProblemHttpResult>> SwitchAsync(string id, HttpContext http, ClaimsPrincipal user, IDatasetExportManager manager, CancellationToken cancellationToken)
    {
        if (ETagHeader.ReadIfMatch(http.Request) is not { } etag)
        {
            return ExportProblems.IfMatchRequired($"the schedule of dataset export '{id}'");
        }

        var request = await JsonBody.ReadAsync<ScheduleSwitchRequest>(http, $"the schedule switch of dataset export '{id}'").ConfigureAwait(false);
        var updated = await manager.SetScheduleEnabledAsync(user, id, request.Enabled, etag, cancellationToken).ConfigureAwait(false);
        ETagHeader.Set(http, updated.ETag);
        return TypedResults.Ok(updated.Definition);
    }

    private static async Task<Accepted<ExportRunRecord>> RunAsync(string id, HttpContext http, ClaimsPrincipal user, IDatasetExportManager manager, CancellationToken cancellationToken)
    {
        var run = await manager.StartRunAsync(user, id, cancellationToken).ConfigureAwait(false);
        return TypedResults.Accepted(ApiLinks.Run(http, run.RunId), run);
    }

    private static async Task<Results<Ok<ExportPage<ExportRunRecord>>, ProblemHttpResult>> ListRunsAsync(
        string id, ExportRunStatus? status, int? skip, int? take, ClaimsPrincipal user, IExportManager runs, IOptions<ExportsHttpApiOptions> options, CancellationToken cancellationToken)
    {
        if (Paging.Check(skip, take, options.Value) is { } problem)
        {
            return problem;
        }

        // The id space is shared: a dataflow's runs are listed under dataflows/, not here.
        if (await runs.GetAsync(user, id, cancellationToken).ConfigureAwait(false) is not null)
        {
            return ExportProblems.NotFound($"There is no dataset export '{id}'; '{id}' is a dataflow.");
        }

        // The one runs API: checked against the dataset export's destination; runs outlive a deleted export (of either kind).
        var page = await runs.SearchRunsAsync(user, id, new RunQuery { Status = status, Skip = skip ?? 0, Take = take ?? 50 }, cancellationToken).ConfigureAwait(false);
        return page.Items is [{ Kind: not ExportFlowKind.DatasetExport }, ..]
            ? ExportProblems.NotFound($"There is no dataset export '{id}'; '{id}' is a dataflow.")
            : TypedResults.Ok(page);
    }
}
