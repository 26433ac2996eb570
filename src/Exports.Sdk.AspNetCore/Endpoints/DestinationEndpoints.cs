using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Exports.Sdk.AspNetCore;

/// <summary>
/// The destination catalog (seed 003's connection specs) and the destinations: listed, read without their secrets,
/// created, replaced and deleted with ETags, shared with contributors, and tested (saved or before saving).
/// </summary>
internal static class DestinationEndpoints
{
    public static void Map(RouteGroupBuilder group, bool named)
    {
        group.MapGet(ExportsApiRoutes.DestinationTypes, ListTypesAsync)
            .WithSummary("The destination types: settings (required, secret) and auth schemes.");
        group.MapGet(ExportsApiRoutes.Destinations, ListAsync)
            .WithSummary("The destinations the caller may see, without their settings.");
        group.MapPost(ExportsApiRoutes.Destinations, CreateAsync)
            .AcceptsJson<DestinationDefinition>()
            .WithSummary("Creates a destination at run time (ManageDestinations); secret settings are stored encrypted and never read back.");
        group.MapGet(ExportsApiRoutes.Destination, GetAsync)
            .WithNameIf(named, ExportsApiRoutes.GetDestinationName)
            .WithSummary("Returns one destination with its ETag: settings without secrets, and which secrets are set.");
        group.MapPut(ExportsApiRoutes.Destination, ReplaceAsync)
            .AcceptsJson<DestinationDefinition>()
            .WithSummary("Replaces a destination created at run time (If-Match); a secret left out keeps the stored one.");
        group.MapDelete(ExportsApiRoutes.Destination, DeleteAsync)
            .WithSummary("Deletes a destination created at run time (If-Match); refused, naming them, while exports use it.");
        group.MapPut(ExportsApiRoutes.DestinationShare, ShareAsync)
            .AcceptsJson<ShareRequest>()
            .WithSummary("Shares a destination with a contributor for View or Edit (If-Match).");
        group.MapDelete(ExportsApiRoutes.DestinationShare, UnshareAsync)
            .WithSummary("Stops sharing a destination with a contributor (If-Match).");
        group.MapPost(ExportsApiRoutes.TestDestination, TestAsync)
            .WithSummary("Tests a destination's connection: whether the SDK can write there, naming a missing right.");
        group.MapPost(ExportsApiRoutes.TestNewDestination, TestNewAsync)
            .AcceptsJson<DestinationDefinition>()
            .WithSummary("Tests settings before they are saved (secrets left out are taken from the stored destination of that name); stores nothing.");
    }

    private static async Task<Ok<IReadOnlyList<DestinationDescriptor>>> ListTypesAsync(ClaimsPrincipal user, IExportManager manager, CancellationToken cancellationToken) =>
        TypedResults.Ok(await manager.ListDestinationTypesAsync(user, cancellationToken).ConfigureAwait(false));

    private static async Task<Ok<IReadOnlyList<DestinationSummary>>> ListAsync(ClaimsPrincipal user, IExportManager manager, CancellationToken cancellationToken) =>
        TypedResults.Ok(await manager.ListDestinationsAsync(user, cancellationToken).ConfigureAwait(false));

    private static async Task<Results<Created<ManagedDestination>, ProblemHttpResult>> CreateAsync(HttpContext http, ClaimsPrincipal user, IDestinationManager destinations, CancellationToken cancellationToken)
    {
        var destination = await JsonBody.ReadAsync<DestinationDefinition>(http, "a new destination").ConfigureAwait(false);
        ManagedDestination created;
        try
        {
            created = await destinations.CreateAsync(user, destination, cancellationToken).ConfigureAwait(false);
        }
        catch (ExportConcurrencyException ex)
        {
            // On create, a clash is with an existing name, not a stale ETag.
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status409Conflict, title: "Already exists");
        }

        ETagHeader.Set(http, created.ETag);
        return TypedResults.Created(ApiLinks.Destination(http, created.Name), created);
    }

    private static async Task<Results<Ok<ManagedDestination>, ProblemHttpResult>> GetAsync(string name, HttpContext http, ClaimsPrincipal user, IDestinationManager destinations, CancellationToken cancellationToken)
    {
        var found = await destinations.GetAsync(user, name, cancellationToken).ConfigureAwait(false);
        if (found is null)
        {
            return ExportProblems.NotFound($"There is no destination '{name}'.");
        }

        ETagHeader.Set(http, found.ETag);
        return TypedResults.Ok(found);
    }

    private static async Task<Results<Ok<ManagedDestination>, ProblemHttpResult>> ReplaceAsync(string name, HttpContext http, ClaimsPrincipal user, IDestinationManager destinations, CancellationToken cancellationToken)
    {
        if (ETagHeader.ReadIfMatch(http.Request) is not { } etag)
        {
            return ExportProblems.IfMatchRequired($"destination '{name}'");
        }

        var destination = await JsonBody.ReadAsync<DestinationDefinition>(http, $"destination '{name}'").ConfigureAwait(false);
        if (!string.IsNullOrEmpty(destination.Name) && !string.Equals(destination.Name.Trim(), name, StringComparison.OrdinalIgnoreCase))
        {
            return ExportProblems.BadRequest($"The body's name '{destination.Name}' is not the name in the path, '{name}'; a destination's name cannot change.");
        }

        destination.Name = name;
        var updated = await destinations.UpdateAsync(user, destination, etag, cancellationToken).ConfigureAwait(false);
        ETagHeader.Set(http, updated.ETag);
        return TypedResults.Ok(updated);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string name, HttpContext http, ClaimsPrincipal user, IDestinationManager destinations, CancellationToken cancellationToken)
    {
        if (ETagHeader.ReadIfMatch(http.Request) is not { } etag)
        {
            return ExportProblems.IfMatchRequired($"destination '{name}'");
        }

        await destinations.DeleteAsync(user, name, etag, cancellationToken).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<ManagedDestination>, ProblemHttpResult>> ShareAsync(string name, string contributor, HttpContext http, ClaimsPrincipal user, IDestinationManager destinations, CancellationToken cancellationToken)
    {
        if (ETagHeader.ReadIfMatch(http.Request) is not { } etag)
        {
            return ExportProblems.IfMatchRequired($"destination '{name}'");
        }

        var request = await JsonBody.ReadAsync<ShareRequest>(http, $"the share of destination '{name}' with '{contributor}'").ConfigureAwait(false);
        var updated = await destinations.ShareAsync(user, name, contributor, request.Access, etag, cancellationToken).ConfigureAwait(false);
        ETagHeader.Set(http, updated.ETag);
        return TypedResults.Ok(updated);
    }

    private static async Task<Results<Ok<ManagedDestination>, ProblemHttpResult>> UnshareAsync(string name, string contributor, HttpContext http, ClaimsPrincipal user, IDestinationManager destinations, CancellationToken cancellationToken)
    {
        if (ETagHeader.ReadIfMatch(http.Request) is not { } etag)
        {
            return ExportProblems.IfMatchRequired($"destination '{name}'");
        }

        var updated = await destinations.ShareAsync(user, name, contributor, access: null, etag, cancellationToken).ConfigureAwait(false);
        ETagHeader.Set(http, updated.ETag);
        return TypedResults.Ok(updated);
    }

    private static async Task<Results<Ok<ConnectionTestResult>, ProblemHttpResult>> TestAsync(string name, ClaimsPrincipal user, IExportManager manager, CancellationToken cancellationToken)
    {
        var visible = await manager.ListDestinationsAsync(user, cancellationToken).ConfigureAwait(false);
        if (!visible.Any(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase)))
        {
            return ExportProblems.NotFound($"There is no destination '{name}'.");
        }

        return TypedResults.Ok(await manager.TestDestinationAsync(user, name, cancellationToken).ConfigureAwait(false));
    }

    private static async Task<Ok<ConnectionTestResult>> TestNewAsync(HttpContext http, ClaimsPrincipal user, IDestinationManager destinations, CancellationToken cancellationToken)
    {
        var destination = await JsonBody.ReadAsync<DestinationDefinition>(http, "the destination to test").ConfigureAwait(false);
        return TypedResults.Ok(await destinations.TestAsync(user, destination, cancellationToken).ConfigureAwait(false));
    }
}
