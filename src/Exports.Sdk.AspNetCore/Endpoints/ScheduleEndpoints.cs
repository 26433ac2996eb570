using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Exports.Sdk.AspNetCore;

/// <summary>The Schedule pane: switch one dataflow's schedule on or off, or edit several at once.</summary>
internal static class ScheduleEndpoints
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapPost(ExportsApiRoutes.Schedule, SwitchAsync)
            .WithSummary("Switches a dataflow's schedule on or off; needs If-Match.")
            .AcceptsJson<ScheduleSwitchRequest>()
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
        group.MapPost(ExportsApiRoutes.Schedules, EditAsync)
            .WithSummary("Edits the schedules of several dataflows: keep individual schedules (switch on/off) or define one new schedule for all. All or nothing.")
            .AcceptsJson<BulkScheduleRequest>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
    }

    private static async Task<Results<Ok<DataflowDefinition>, ProblemHttpResult>> SwitchAsync(string id, HttpContext http, ClaimsPrincipal user, IExportManager manager, CancellationToken cancellationToken)
    {
        if (ETagHeader.ReadIfMatch(http.Request) is not { } etag)
        {
            return ExportProblems.IfMatchRequired($"the schedule of dataflow '{id}'");
        }

        var request = await JsonBody.ReadAsync<ScheduleSwitchRequest>(http, $"the schedule switch of dataflow '{id}'").ConfigureAwait(false);
        var updated = await manager.SetScheduleEnabledAsync(user, id, request.Enabled, etag, cancellationToken).ConfigureAwait(false);
        ETagHeader.Set(http, updated.ETag);
        return TypedResults.Ok(updated.Definition);
    }

    private static async Task<Ok<IReadOnlyList<DataflowListItem>>> EditAsync(HttpContext http, ClaimsPrincipal user, IExportManager manager, CancellationToken cancellationToken)
    {
        var request = await JsonBody.ReadAsync<BulkScheduleRequest>(http, "a schedule edit").ConfigureAwait(false);
        if (request.Dataflows is not { Count: > 0 })
        {
            throw new ExportValidationException("A schedule edit needs 'dataflows': at least one dataflow id with the ETag it was read with.");
        }

        if (request.Dataflows.Where(d => string.IsNullOrWhiteSpace(d.Value)).Select(d => d.Key).ToList() is { Count: > 0 } withoutETag)
        {
            throw new ExportValidationException([.. withoutETag.Select(id => $"A schedule edit needs the ETag dataflow '{id}' was read with; 'dataflows' gives it none.")]);
        }

        var updated = await manager.EditSchedulesAsync(user, new BulkScheduleEdit
        {
            // As read from an ETag header (quoted) or from a listed item (bare).
            DataflowETags = request.Dataflows.ToDictionary(d => d.Key, d => d.Value.Trim().Trim('"'), StringComparer.Ordinal),
            Enable = request.Enabled,
            ReplaceSchedule = request.Schedule,
        }, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok<IReadOnlyList<DataflowListItem>>([.. updated.Select(DataflowListItem.From)]);
    }
}
