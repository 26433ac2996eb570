using System.Security.Claims;
using System.Text.Encodings.Web;
using Exports.Sdk;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Exports.WebHost.Authentication;

/// <summary>
/// FOR TRIALS AND TESTS ONLY, and only in Development: signs the caller in as whoever the headers say.
/// <c>X-Demo-User: ana</c> and <c>X-Demo-Role: Administrator | Contributor | Viewer</c>; no header, anonymous.
/// A real host uses JWT bearer or cookies instead (docs/http-api.md).
/// </summary>
internal sealed class DemoUserHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "DemoUser";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var user = Request.Headers["X-Demo-User"].ToString();
        if (string.IsNullOrWhiteSpace(user))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var role = Request.Headers["X-Demo-Role"].ToString() switch
        {
            "Administrator" => ExportRoles.Administrator,
            "Contributor" => ExportRoles.Contributor,
            "Viewer" => ExportRoles.Viewer,
            "" => null,
            var other => other,
        };
        var claims = new List<Claim> { new(ClaimTypes.Name, user.Trim()) };
        if (role is not null)
        {
            claims.Add(new Claim(ClaimTypes.Role, role));
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }
}
