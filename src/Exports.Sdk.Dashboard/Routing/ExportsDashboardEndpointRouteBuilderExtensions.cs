using Exports.Sdk.AspNetCore;
using Exports.Sdk.Dashboard;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the exports dashboard into any ASP.NET Core host, as <c>MapHangfireDashboard</c> does.</summary>
public static class ExportsDashboardEndpointRouteBuilderExtensions
{
    /// <summary>The dashboard's own copy of the HTTP API, relative to its prefix.</summary>
    internal const string ApiPath = "_api";

    /// <summary>
    /// Maps the dashboard at <paramref name="prefix"/>: its page, its embedded assets (<c>{prefix}/assets/…</c>) and the
    /// HTTP API it talks to (<c>{prefix}/_api/…</c>, left out of OpenAPI documents). Every request passes the options'
    /// authorization filters first (default: local requests only); changes need the page's anti-forgery token; and the
    /// SDK's permission policy decides every operation for <c>HttpContext.User</c>.
    /// </summary>
    /// <param name="endpoints">The host's endpoints.</param>
    /// <param name="prefix">Where the dashboard lives; default <c>/exports</c>.</param>
    /// <param name="options">Authorization, read-only mode, title; default those set by <c>AddDashboard(o => …)</c>.</param>
    /// <returns>The dashboard's route group, for the host's own conventions (e.g. <c>.RequireAuthorization()</c>).</returns>
    /// <exception cref="InvalidOperationException"><c>services.AddExports().AddDashboard()</c> was not called.</exception>
    public static RouteGroupBuilder MapExportsDashboard(this IEndpointRouteBuilder endpoints, string prefix = "/exports", ExportsDashboardOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(prefix);
        if (endpoints.ServiceProvider.GetService<DashboardMarker>() is null)
        {
            throw new InvalidOperationException("MapExportsDashboard needs services.AddExports().AddDashboard() first.");
        }

        options ??= endpoints.ServiceProvider.GetRequiredService<IOptions<ExportsDashboardOptions>>().Value;
        if (endpoints.ServiceProvider.GetRequiredService<IOptions<AntiforgeryOptions>>().Value.HeaderName is null)
        {
            // The screens send the token in a header; without a header name every change would be refused.
            throw new InvalidOperationException("MapExportsDashboard needs AntiforgeryOptions.HeaderName: the dashboard sends its anti-forgery token in that header.");
        }

        var root = "/" + prefix.Trim('/');
        var group = endpoints.MapGroup(root);
        group.ExcludeFromDescription().AddEndpointFilter(new DashboardAccessFilter(options));

        DashboardPage.Map(group, options);
        ExportsApiEndpointRouteBuilderExtensions.Map(group, ApiPath, named: false);
        return group;
    }
}
