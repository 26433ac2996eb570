using System.Net;
using Microsoft.AspNetCore.Antiforgery;

namespace Exports.WebHost.Authentication;

/// <summary>
/// FOR TRIALS AND TESTS ONLY, Development only: a "sign in as" form at <c>/sign-in</c> that sets the demo user cookie
/// <see cref="DemoUserHandler"/> reads, then opens the dashboard.
/// </summary>
internal static class DemoSignIn
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/sign-in", (HttpContext http, IAntiforgery antiforgery) =>
        {
            var token = antiforgery.GetAndStoreTokens(http);
            var html = $$"""
                <!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
                <title>Sign in as</title><style>body{font:15px system-ui,sans-serif;margin:2rem}label{display:block;margin:.6rem 0 .2rem;font-weight:600}input,select,button{font:inherit;padding:.35rem .5rem}</style></head>
                <body><h1>Sign in as (demo)</h1><p>Development only: the web sample trusts whoever you say you are.</p>
                <form method="post" action="/sign-in">
                <input type="hidden" name="{{token.FormFieldName}}" value="{{WebUtility.HtmlEncode(token.RequestToken)}}">
                <label for="user">User</label><input id="user" name="user" value="ana" required>
                <label for="role">Role</label><select id="role" name="role"><option>Administrator</option><option>Contributor</option><option>Viewer</option></select>
                <p><button type="submit">Sign in</button></p></form></body></html>
                """;
            return Results.Content(html, "text/html; charset=utf-8");
        });
        app.MapPost("/sign-in", (HttpContext http, [Microsoft.AspNetCore.Mvc.FromForm] string user, [Microsoft.AspNetCore.Mvc.FromForm] string role) =>
        {
            // Form binding validates the anti-forgery token (UseAntiforgery); a forged sign-in is refused.
            http.Response.Cookies.Append(DemoUserHandler.CookieName, $"{user.Trim()}|{role.Trim()}", new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, IsEssential = true });
            return Results.Redirect("/exports");
        });
    }
}
