using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Exports.Sdk.Dashboard;

/// <summary>
/// The dashboard's one page (the screens are its hash routes) and its embedded assets. The page carries the paths, the
/// title and a fresh anti-forgery token; a strict content security policy allows only the package's own files.
/// </summary>
internal static class DashboardPage
{
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'self'";

    public static void Map(RouteGroupBuilder group, ExportsDashboardOptions options)
    {
        group.MapGet("", (HttpContext http, DashboardAssets assets) => Page(http, assets, options));
        group.MapGet("assets/{**path}", (string path, HttpContext http, DashboardAssets assets) => Asset(path, http, assets));
    }

    private static ContentHttpResult Page(HttpContext http, DashboardAssets assets, ExportsDashboardOptions options)
    {
        var tokens = http.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(http);
        // The page is the group's root: its own path (with PathBase and any outer group) is the base of assets and API.
        var basePath = (http.Request.PathBase + http.Request.Path).Value!.TrimEnd('/');
        var html = Encoding.UTF8.GetString(assets.Find("index.html")!.Content)
            .Replace("%BASE%", Html(basePath), StringComparison.Ordinal)
            .Replace("%TITLE%", Html(options.Title), StringComparison.Ordinal)
            .Replace("%APP_PATH%", Html(options.AppPath ?? ""), StringComparison.Ordinal)
            .Replace("%TOKEN_HEADER%", Html(tokens.HeaderName!), StringComparison.Ordinal)
            .Replace("%TOKEN%", Html(tokens.RequestToken ?? ""), StringComparison.Ordinal);
        Secure(http.Response);
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Content(html, "text/html; charset=utf-8");
    }

    private static IResult Asset(string path, HttpContext http, DashboardAssets assets)
    {
        if (path == "index.html" || assets.Find(path) is not { } asset)
        {
            return TypedResults.NotFound();
        }

        Secure(http.Response);
        http.Response.Headers.ETag = asset.ETag;
        http.Response.Headers.CacheControl = "no-cache";
        if (http.Request.Headers.IfNoneMatch.ToString() == asset.ETag)
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        return TypedResults.Bytes(asset.Content, asset.ContentType);
    }

    private static void Secure(HttpResponse response)
    {
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "same-origin";
    }

    private static string Html(string value) => HtmlEncoder.Default.Encode(value);
}
