using System.Security.Claims;
using System.Text.Encodings.Web;
using Exports.Sdk;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Exports.WebHost.Authentication;

/// <summary>
/// FOR TRIALS AND TESTS ONLY, and only in Development: signs the caller in as whoever the request says, from the
/// <c>X-Demo-User</c> / <c>X-Demo-Role</c> headers (API clients) or the cookie the "sign in as" form sets (the
/// dashboard in a browser). Roles: <c>Administrator | Contributor | Viewer</c>. A real host uses JWT bearer or cookies
/// of its own identity provider instead (docs/http-api.md).
/// </summary>
internal sealed class DemoUserHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "DemoUser";
    public const string CookieName = "exports-demo-user";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var user = Request.Headers["X-Demo-User"].ToString();
        var role = Request.Headers["X-Demo-Role"].ToString();
        if (string.IsNullOrWhiteSpace(user) && Request.Cookies[CookieName] is { } cookie && cookie.Split('|') is [var cookieUser, var cookieRole])
        {
            (user, role) = (cookieUser, cookieRole);
        }

        if (string.IsNullOrWhiteSpace(user))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var claims = new List<Claim> { new(ClaimTypes.Name, user.Trim()) };
        if (RoleClaim(role) is { } value)
        {
            claims.Add(new Claim(ClaimTypes.Role, value));
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }

    private static string? RoleClaim(string role) => role switch
    {
        "Administrator" => ExportRoles.Administrator,
        "Contributor" => ExportRoles.Contributor,
        "Viewer" => ExportRoles.Viewer,
        "" => null,
        var other => other,
    };
}
