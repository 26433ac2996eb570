using System.Net;
using Microsoft.AspNetCore.Http;

namespace Exports.Sdk.Dashboard;

/// <summary>The default: only requests from this machine (loopback, or the server's own address), as Hangfire does.</summary>
public sealed class LocalRequestsOnlyAuthorizationFilter : IExportsDashboardAuthorizationFilter
{
    /// <inheritdoc />
    public ValueTask<bool> AuthorizeAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var connection = httpContext.Connection;
        var remote = connection.RemoteIpAddress;
        var local = remote is not null && (IPAddress.IsLoopback(remote) || remote.Equals(connection.LocalIpAddress));
        return ValueTask.FromResult(local);
    }
}
