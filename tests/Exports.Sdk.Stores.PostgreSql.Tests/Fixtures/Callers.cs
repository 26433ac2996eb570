using System.Security.Claims;

namespace Exports.Sdk.ClusterTests;

/// <summary>The caller the cluster tests act as.</summary>
internal static class Callers
{
    public static ClaimsPrincipal Admin { get; } = new(new ClaimsIdentity([new Claim(ClaimTypes.Name, "ada"), new Claim(ClaimTypes.Role, ExportRoles.Administrator)], "test"));
}
