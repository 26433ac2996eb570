using Microsoft.AspNetCore.Http;

namespace Exports.Sdk.Dashboard;

/// <summary>
/// Decides whether a request may open the dashboard at all (its page, assets and API), before the SDK's permission
/// policy checks each operation. A refused request gets 401 when nobody is signed in, 403 otherwise.
/// </summary>
public interface IExportsDashboardAuthorizationFilter
{
    /// <summary>Whether the request may use the dashboard.</summary>
    /// <param name="httpContext">The request.</param>
    /// <returns><see langword="true"/> to allow it.</returns>
    ValueTask<bool> AuthorizeAsync(HttpContext httpContext);
}
