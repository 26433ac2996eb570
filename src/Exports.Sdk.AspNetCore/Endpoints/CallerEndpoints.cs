using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Exports.Sdk.AspNetCore;

/// <summary>Who the caller is and what it may do in general, for screens that hide what would be refused.</summary>
internal static class CallerEndpoints
{
    public static void Map(RouteGroupBuilder group) =>
        group.MapGet(ExportsApiRoutes.Caller, GetAsync)
            .WithSummary("The caller: name, the permissions it holds on destinations in general, and whether the API is read-only.");

    private static async Task<Ok<CallerInfo>> GetAsync(HttpContext http, ClaimsPrincipal user, IExportAuthorizationPolicy policy, CancellationToken cancellationToken)
    {
        var held = new List<ExportPermission>();
        foreach (var permission in Enum.GetValues<ExportPermission>())
        {
            if (await policy.IsAllowedAsync(user, permission, null, cancellationToken).ConfigureAwait(false))
            {
                held.Add(permission);
            }
        }

        var readOnly = ExportsApiFilter.IsReadOnly(http);
        return TypedResults.Ok(new CallerInfo(user.Identity?.Name ?? "", held, readOnly));
    }
}
