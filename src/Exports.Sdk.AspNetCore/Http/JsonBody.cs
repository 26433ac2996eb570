using System.Runtime.CompilerServices;
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
internal static partial class JsonBody
{
    /// <summary>Per host options instance, its strict copy.</summary>
    private static readonly ConditionalWeakTable<JsonSerializerOptions, JsonSerializerOptions> Strict = new();

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

        try
        {
            return await JsonSerializer.DeserializeAsync<T>(request.Body, Options(context), context.RequestAborted).ConfigureAwait(false)
                ?? throw new ExportValidationException($"The body of {what} is empty (null).");
        }
        catch (JsonException ex)
        {
            throw Invalid<T>(what, ex);
        }
    }

    /// <summary>
    /// Reads <paramref name="value"/> back as a body would be read, so a value changed in place (by a JSON Patch) is
    /// held to the same rules: a <c>null</c> where the model does not allow one is named by its path.
    /// </summary>
    public static T Reread<T>(HttpContext context, T value, string what)
        where T : class
    {
        // Written as the host writes it (nulls and all), read back as a body is.
        var json = JsonSerializer.SerializeToUtf8Bytes(value, HostOptions(context));
        try
        {
            return JsonSerializer.Deserialize<T>(json, Options(context))!;
        }
        catch (JsonException ex)
        {
            throw Invalid<T>(what, ex);
        }
    }

    /// <summary>
    /// The host's options, holding <c>null</c> to the models' nullable annotations (<c>"audiences": null</c> is named
    /// here, instead of failing later in code that trusts the annotation).
    /// </summary>
    private static JsonSerializerOptions Options(HttpContext context) =>
        Strict.GetValue(HostOptions(context), static o => new JsonSerializerOptions(o) { RespectNullableAnnotations = true });

    private static JsonSerializerOptions HostOptions(HttpContext context) =>
        context.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;

    private static ExportValidationException Invalid<T>(string what, JsonException ex)
    {
        var at = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "" : $" at '{ex.Path}'";
        // System.Text.Json's messages name .NET types ("could not be converted to Exports.Sdk.ExportMode", "on type
        // 'Exports.Sdk.ExportOutputOptions'"), which a caller of the API does not know: say what the API expects.
        var expected = ExpectedJsonValue.At(typeof(T), ex.Path);
        var problem = ex.Message.StartsWith("The JSON value could not be converted to ", StringComparison.Ordinal) && expected is not null ? $"expected {expected}."
            : ex.Message.Contains("doesn't allow setting null values", StringComparison.Ordinal) ? $"null is not allowed{(expected is null ? "" : $"; expected {expected}")}."
            : MissingRequired().Match(ex.Message) is { Success: true } missing ? $"{missing.Groups["names"].Value} {(missing.Groups["names"].Value.Contains(',', StringComparison.Ordinal) ? "are" : "is")} required."
            : FirstSentence(ex.Message);
        return new ExportValidationException($"The body of {what} is not valid{at}: {problem}", ex);
    }

    /// <summary>"JSON deserialization for type 'X' was missing required properties including: 'enabled'."</summary>
    [System.Text.RegularExpressions.GeneratedRegex("missing required properties including: (?<names>.+?)\\.?$")]
    private static partial System.Text.RegularExpressions.Regex MissingRequired();

    // System.Text.Json appends the path and position to its message; the path is already named above.
    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
