using Exports.Sdk.AspNetCore;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the exports HTTP API into any ASP.NET Core host.</summary>
public static class ExportsApiEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the exports HTTP API under <paramref name="prefix"/> and returns its route group, so the host adds
    /// <c>.RequireAuthorization(...)</c>, CORS or rate limits itself. The caller is <c>HttpContext.User</c>; anonymous
    /// requests get 401 and the SDK's permission policy decides the rest (403 names the missing permission).
    /// </summary>
    /// <param name="endpoints">The host's endpoints.</param>
    /// <param name="prefix">The route prefix; default <c>/exports/api</c>.</param>
    /// <returns>The route group of the API.</returns>
    /// <exception cref="InvalidOperationException"><c>services.AddExports().AddHttpApi()</c> was not called.</exception>
    public static RouteGroupBuilder MapExportsApi(this IEndpointRouteBuilder endpoints, string prefix = "/exports/api")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(prefix);
        if (endpoints.ServiceProvider.GetService<HttpApiMarker>() is null)
        {
            throw new InvalidOperationException("MapExportsApi needs services.AddExports().AddHttpApi() first.");
        }

        return Map(endpoints, prefix, named: true);
    }

    /// <summary>
    /// Maps the API's endpoints into a new group. The dashboard maps a second copy under its own prefix, unnamed (endpoint
    /// names are unique per host) and with its own filters.
    /// </summary>
    /// <param name="endpoints">Where to map (the host, or the dashboard's group).</param>
    /// <param name="prefix">The group's prefix, relative to <paramref name="endpoints"/>.</param>
    /// <param name="named">Whether to name the endpoints links are made from (only one copy per host may).</param>
    internal static RouteGroupBuilder Map(IEndpointRouteBuilder endpoints, string prefix, bool named)
    {
        var group = endpoints.MapGroup(prefix);
        group.WithTags(ExportsApiRoutes.Tag)
            .WithMetadata(new ExportsApiGroup(named, prefix))
            .AddEndpointFilter<ExportsApiFilter>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        CallerEndpoints.Map(group);
        DestinationEndpoints.Map(group, named);
        FileNameEndpoints.Map(group);
        SourceEndpoints.Map(group);
        DataflowEndpoints.Map(group, named);
        ScheduleEndpoints.Map(group);
        RunEndpoints.Map(group, named);
        DatasetExportEndpoints.Map(group, named);
        return group;
    }
}
