using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Exports.Sdk.AspNetCore;

/// <summary>
/// Reads request bodies here rather than through parameter binding, so that a malformed body gets a ProblemDetails
/// that names the field (JSON path) and the problem, whatever the host's exception handling.
/// </summary>
internal static class JsonBody
{
    public static async Task<T> ReadAsync<T>(HttpContext context, string what, bool optional = false)
        where T : class
    {
        var request = context.Request;
        if (optional && request.ContentLength is 0 or null && !request.Headers.ContainsKey("Transfer-Encoding"))
        {
            return null!;
        }

        if (!request.HasJsonContentType())
        {
            throw new ExportValidationException($"The body of {what} must be JSON (Content-Type application/json); it was '{request.ContentType ?? "(none)"}'.");
        }

        var options = context.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        try
        {
            return await JsonSerializer.DeserializeAsync<T>(request.Body, options, context.RequestAborted).ConfigureAwait(false)
                ?? throw new ExportValidationException($"The body of {what} is empty (null).");
        }
        catch (JsonException ex)
        {
            var at = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "" : $" at '{ex.Path}'";
            throw new ExportValidationException($"The body of {what} is not valid{at}: {FirstSentence(ex.Message)}", ex);
        }
    }

    // System.Text.Json appends the path and position to its message; the path is already named above.
    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
