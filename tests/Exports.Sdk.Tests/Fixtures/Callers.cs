using System.Security.Claims;

namespace Exports.Sdk.Tests.Fixtures;

/// <summary>Authenticated callers with the roles the default policy understands.</summary>
internal static class Callers
{
    public static ClaimsPrincipal Admin { get; } = Create("ada", ExportRoles.Administrator);

    public static ClaimsPrincipal Viewer { get; } = Create("vic", ExportRoles.Viewer);

    public static ClaimsPrincipal Nobody { get; } = Create("nina");

    public static ClaimsPrincipal Anonymous { get; } = new(new ClaimsIdentity());

    public static ClaimsPrincipal Contributor(string name) => Create(name, ExportRoles.Contributor);

    public static ClaimsPrincipal Create(string name, params string[] roles)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, name) };
        claims.AddRange(roles.Select(r => new Claim(ClaimTypes.Role, r)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, "test"));
    }
}
