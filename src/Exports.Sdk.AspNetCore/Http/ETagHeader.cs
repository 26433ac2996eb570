using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Exports.Sdk.AspNetCore;

/// <summary>ETags on the wire: the store's token in quotes (RFC 9110), read back from <c>If-Match</c>.</summary>
internal static class ETagHeader
{
    public static string Format(string etag) => $"\"{etag}\"";

    public static void Set(HttpContext context, string etag) => context.Response.Headers.ETag = Format(etag);

    /// <summary>The single ETag of <c>If-Match</c>, unquoted; null when the header is missing or empty.</summary>
    public static string? ReadIfMatch(HttpRequest request)
    {
        var header = request.Headers.IfMatch.ToString();
        if (string.IsNullOrWhiteSpace(header))
        {
            return null;
        }

        // A weak tag (W/"…") is compared by its value, though If-Match compares strongly (RFC 9110): proxies that compress
        // responses (nginx's gzip) turn the API's strong ETags weak, and the dashboard sends back what it was given.
        var etag = EntityTagHeaderValue.TryParse(header.Trim(), out var tag) ? tag.Tag.ToString().Trim('"') : header.Trim().Trim('"');
        return etag.Length > 0 ? etag : null; // If-Match: "" names no version
    }
}
