using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Exports.Sdk.AspNetCore;

/// <summary>What a picker needs: the sources, their audiences and the attributes they offer.</summary>
internal static class SourceEndpoints
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet(ExportsApiRoutes.Sources, ListAsync)
            .WithSummary("The registered audience sources (needs view segments).");
        group.MapGet(ExportsApiRoutes.SourceAudiences, ListAudiencesAsync)
            .WithSummary("A source's audiences: id, name, size when known, last evaluated (needs view segments).");
        group.MapGet(ExportsApiRoutes.SourceAttributes, ListAttributesAsync)
            .WithSummary("The attribute paths a source offers, with their types (needs view profiles).");
    }

    private static async Task<Ok<IReadOnlyList<SourceSummary>>> ListAsync(ClaimsPrincipal user, IExportManager manager, CancellationToken cancellationToken) =>
        TypedResults.Ok(await manager.ListSourcesAsync(user, cancellationToken).ConfigureAwait(false));

    private static async Task<Results<Ok<IReadOnlyList<AudienceInfo>>, ProblemHttpResult>> ListAudiencesAsync(
        string name, string? search, ClaimsPrincipal user, IExportManager manager, CancellationToken cancellationToken) =>
        await manager.ListAudiencesAsync(user, name, search, cancellationToken).ConfigureAwait(false) is { } audiences
            ? TypedResults.Ok(audiences)
            : ExportProblems.NotFound($"There is no source '{name}'.");

    private static async Task<Results<Ok<IReadOnlyList<ExportColumn>>, ProblemHttpResult>> ListAttributesAsync(
        string name, ClaimsPrincipal user, IExportManager manager, CancellationToken cancellationToken) =>
        await manager.ListAttributesAsync(user, name, cancellationToken).ConfigureAwait(false) is { } attributes
            ? TypedResults.Ok(attributes)
            : ExportProblems.NotFound($"There is no source '{name}'.");
}
