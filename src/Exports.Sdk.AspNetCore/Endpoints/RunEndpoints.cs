using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Exports.Sdk.AspNetCore;

/// <summary>
/// Runs: "Export file now", run one, run all (each answers 202 at once with where to follow the run), a dataflow's
/// runs with their metrics, one run with its progress, and cancellation from any host.
/// </summary>
internal static class RunEndpoints
{
    public static void Map(RouteGroupBuilder group, bool named)
    {
        group.MapPost(ExportsApiRoutes.ExportNow, ExportNowAsync)
            .WithSummary("Exports chosen audiences of a dataflow now (at most 80); answers at once with the run to follow.")
            .AcceptsJson<ExportNowRequest>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapPost(ExportsApiRoutes.RunDataflow, RunAsync)
            .WithSummary("Runs every audience of a dataflow now, even when its schedule is off.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost(ExportsApiRoutes.RunAll, RunAllAsync)
            .WithSummary("Runs every dataflow whose schedule is on and that the caller may run; says which were skipped and why.");
        group.MapGet(ExportsApiRoutes.DataflowRuns, ListAsync)
            .WithSummary("A dataflow's runs, newest first, with metrics; filter by status, page with skip and take.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet(ExportsApiRoutes.Run, GetAsync)
            .WithNameIf(named, ExportsApiRoutes.GetRunName)
            .WithSummary("One run: status, metrics (rows read, exported, skipped by reason, files, bytes, duration), errors, progress while it runs.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost(ExportsApiRoutes.CancelRun, CancelAsync)
            .WithSummary("Cancels a queued or running run, on whichever host runs it; nothing is left at the destination.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static async Task<Results<Accepted<ExportRunRecord>, ProblemHttpResult>> ExportNowAsync(string id, HttpContext http, ClaimsPrincipal user, IExportManager manager, CancellationToken cancellationToken)
    {
        var request = await JsonBody.ReadAsync<ExportNowRequest>(http, $"export now of dataflow '{id}'").ConfigureAwait(false);
        if (request.AudienceIds is not { Count: > 0 } audiences)
        {
            return ExportProblems.BadRequest($"Export now on dataflow '{id}' needs 'audienceIds': at least one audience.");
        }

        if (audiences.Count > ExportLimits.MaxAudiencesPerExportNow)
        {
            return ExportProblems.BadRequest($"Export now on dataflow '{id}' names {audiences.Count} audiences; at most {ExportLimits.MaxAudiencesPerExportNow} per request.");
        }

        // A null or empty entry is a malformed request (400, naming its index), not an audience that cannot run now (422).
        for (var index = 0; index < audiences.Count; index++)
        {
            if (string.IsNullOrWhiteSpace(audiences[index]))
            {
                return ExportProblems.BadRequest($"Export now on dataflow '{id}': AudienceIds[{index}] is {(audiences[index] is null ? "null" : "empty")}.");
            }
        }

        ExportRunRecord run;
        try
        {
            run = await manager.StartExportNowAsync(user, id, audiences, cancellationToken).ConfigureAwait(false);
        }
        catch (ExportValidationException ex) when (ex is not ExportNotFoundException)
        {
            // Well formed, but not possible: an audience not in the dataflow or outside its schedule window.
            return ExportProblems.Unprocessable(ex);
        }

        return TypedResults.Accepted(ApiLinks.Run(http, run.RunId), run);
    }

    private static async Task<Accepted<ExportRunRecord>> RunAsync(string id, HttpContext http, ClaimsPrincipal user, IExportManager manager, CancellationToken cancellationToken)
    {
        var run = await manager.StartRunAsync(user, id, cancellationToken).ConfigureAwait(false);
        return TypedResults.Accepted(ApiLinks.Run(http, run.RunId), run);
    }

    private static async Task<Accepted<RunAllResult>> RunAllAsync(ClaimsPrincipal user, IExportManager manager, CancellationToken cancellationToken) =>
        TypedResults.Accepted((string?)null, await manager.StartRunAllAsync(user, cancellationToken).ConfigureAwait(false));

    private static async Task<Results<Ok<ExportPage<ExportRunRecord>>, ProblemHttpResult>> ListAsync(
        string id, ExportRunStatus? status, int? skip, int? take, ClaimsPrincipal user, IExportManager manager, IDatasetExportManager datasets,
        IOptions<ExportsHttpApiOptions> options, CancellationToken cancellationToken)
    {
        if (Paging.Check(skip, take, options.Value) is { } problem)
        {
            return problem;
        }

        // The id space is shared: a dataset export's runs are listed under dataset-exports/, not here.
        if (await datasets.GetAsync(user, id, cancellationToken).ConfigureAwait(false) is not null)
        {
            return ExportProblems.NotFound($"There is no dataflow '{id}'; '{id}' is a dataset export.");
        }

        // Runs outlive a deleted export, of either kind.
        var page = await manager.SearchRunsAsync(user, id, new RunQuery { Status = status, Skip = skip ?? 0, Take = take ?? 50 }, cancellationToken).ConfigureAwait(false);
        return page.Items is [{ Kind: ExportFlowKind.DatasetExport }, ..]
            ? ExportProblems.NotFound($"There is no dataflow '{id}'; '{id}' is a dataset export.")
            : TypedResults.Ok(page);
    }

    private static async Task<Results<Ok<ExportRunRecord>, ProblemHttpResult>> GetAsync(string runId, ClaimsPrincipal user, IExportManager manager, CancellationToken cancellationToken) =>
        await manager.GetRunAsync(user, runId, cancellationToken).ConfigureAwait(false) is { } run
            ? TypedResults.Ok(run)
            : ExportProblems.NotFound($"There is no run '{runId}'.");

    private static async Task<Results<Accepted<ExportRunRecord>, ProblemHttpResult>> CancelAsync(string runId, HttpContext http, ClaimsPrincipal user, IExportManager manager, CancellationToken cancellationToken) =>
        await manager.CancelRunAsync(user, runId, cancellationToken).ConfigureAwait(false) is { } run
            ? TypedResults.Accepted(ApiLinks.Run(http, runId), run)
            : ExportProblems.NotFound($"There is no run '{runId}'.");
}
