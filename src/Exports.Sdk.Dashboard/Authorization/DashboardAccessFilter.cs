using Exports.Sdk.AspNetCore;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Exports.Sdk.Dashboard;

/// <summary>
/// Runs before every endpoint of a dashboard (page, assets and its copy of the API): the host's authorization hook,
/// then read-only mode, then anti-forgery on every request that is not a read, so a page on another site cannot make a
/// signed-in user's browser change anything. The SDK's permission policy still checks each operation after this.
/// </summary>
internal sealed class DashboardAccessFilter(ExportsDashboardOptions options) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        foreach (var filter in options.Authorization)
        {
            if (!await filter.AuthorizeAsync(http).ConfigureAwait(false))
            {
                var signedIn = http.User.Identity?.IsAuthenticated == true;
                return TypedResults.Problem(
                    signedIn ? "This dashboard does not allow this request (its authorization filter refused it)." : "This dashboard needs a signed-in user allowed by its authorization filter.",
                    statusCode: signedIn ? StatusCodes.Status403Forbidden : StatusCodes.Status401Unauthorized,
                    title: signedIn ? "Forbidden" : "Not signed in");
            }
        }

        if (options.IsReadOnly)
        {
            http.Items[ExportsApiFilter.ReadOnlyItem] = true;
        }

        if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method))
        {
            try
            {
                await http.RequestServices.GetRequiredService<IAntiforgery>().ValidateRequestAsync(http).ConfigureAwait(false);
            }
            catch (AntiforgeryValidationException)
            {
                return TypedResults.Problem(
                    "The request has no valid anti-forgery token: changes are accepted only from the dashboard's own page. Reload the page and try again.",
                    statusCode: StatusCodes.Status400BadRequest, title: "Anti-forgery check failed");
            }
        }

        return await next(context).ConfigureAwait(false);
    }
}
