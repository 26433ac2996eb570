using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Exports.Sdk.AspNetCore;

/// <summary>The destination catalog (seed 003's connection specs), the destinations without their settings, and "Test connection".</summary>
internal static class DestinationEndpoints
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet(ExportsApiRoutes.DestinationTypes, ListTypesAsync)
            .WithSummary("The destination types: settings (required, secret) and auth schemes.");
        group.MapGet(ExportsApiRoutes.Destinations, ListAsync)
            .WithSummary("The destinations the caller may see, without their settings.");
        group.MapPost(ExportsApiRoutes.TestDestination, TestAsync)
            .WithSummary("Tests a destination's connection: whether the SDK can write there, naming a missing right.");
    }

    private static async Task<Ok<IReadOnlyList<DestinationDescriptor>>> ListTypesAsync(ClaimsPrincipal user, IExportManager manager, CancellationToken cancellationToken) =>
        TypedResults.Ok(await manager.ListDestinationTypesAsync(user, cancellationToken).ConfigureAwait(false));

    private static async Task<Ok<IReadOnlyList<DestinationSummary>>> ListAsync(ClaimsPrincipal user, IExportManager manager, CancellationToken cancellationToken) =>
        TypedResults.Ok(await manager.ListDestinationsAsync(user, cancellationToken).ConfigureAwait(false));

    private static async Task<Results<Ok<ConnectionTestResult>, ProblemHttpResult>> TestAsync(string name, ClaimsPrincipal user, IExportManager manager, CancellationToken cancellationToken)
    {
        var visible = await manager.ListDestinationsAsync(user, cancellationToken).ConfigureAwait(false);
        if (!visible.Any(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase)))
        {
            return ExportProblems.NotFound($"There is no destination '{name}'.");
        }

        return TypedResults.Ok(await manager.TestDestinationAsync(user, name, cancellationToken).ConfigureAwait(false));
    }
}
