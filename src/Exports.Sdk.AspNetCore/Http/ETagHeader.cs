using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Exports.Sdk.AspNetCore;

/// <summary>ETags on the wire: the store's token in quotes (RFC 9110), read back from <c>If-Match</c>.</summary>
internal static class ETagHeader
{
    public static string Format(string etag) => $"\"{etag}\"";

    public static void Set(HttpContext context, string etag) => context.Response.Headers.ETag = Format(etag);

    /// <summary>The single ETag of <c>If-Match</c>, unquoted (a weak one as sent); null when the header is missing or empty.</summary>
    public static string? ReadIfMatch(HttpRequest request)
    {
        var header = request.Headers.IfMatch.ToString();
        if (string.IsNullOrWhiteSpace(header))
        {
            return null;
        }

        // If-Match compares strongly (RFC 9110, 13.1.1): a weak tag is kept as sent, so it matches no version (412).
        var etag = EntityTagHeaderValue.TryParse(header.Trim(), out var tag) ? tag.IsWeak ? header.Trim() : tag.Tag.ToString().Trim('"') : header.Trim().Trim('"');
        return etag.Length > 0 ? etag : null; // If-Match: "" names no version
    }
}
