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

        var group = endpoints.MapGroup(prefix);
        group.WithTags(ExportsApiRoutes.Tag)
            .AddEndpointFilter<ExportsApiFilter>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        DestinationEndpoints.Map(group);
        SourceEndpoints.Map(group);
        DataflowEndpoints.Map(group);
        ScheduleEndpoints.Map(group);
        RunEndpoints.Map(group);
        return group;
    }
}
