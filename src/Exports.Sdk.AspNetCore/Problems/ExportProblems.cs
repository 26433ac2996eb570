using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Exports.Sdk.AspNetCore;

/// <summary>The API's errors as RFC 9457 ProblemDetails: the detail names the export, field and value.</summary>
internal static class ExportProblems
{
    public static ProblemHttpResult Unauthorized() =>
        Problem(StatusCodes.Status401Unauthorized, "Not signed in", "The exports API needs a signed-in user; this request has none.");

    public static ProblemHttpResult ReadOnly() =>
        Problem(StatusCodes.Status403Forbidden, "Read-only", "The exports API is read-only on this host: nothing can be changed or started.");

    public static ProblemHttpResult IfMatchRequired(string what) =>
        Problem(StatusCodes.Status428PreconditionRequired, "If-Match required", $"Changing {what} needs the If-Match header with the ETag it was read with.");

    public static ProblemHttpResult NotFound(string detail) => Problem(StatusCodes.Status404NotFound, "Not found", detail);

    public static ProblemHttpResult Unprocessable(ExportValidationException ex) =>
        Problem(StatusCodes.Status422UnprocessableEntity, "Cannot be done now", ex.Message, new Dictionary<string, object?> { ["errors"] = ex.Errors });

    public static ProblemHttpResult BadRequest(ExportValidationException ex) =>
        Problem(StatusCodes.Status400BadRequest, "Invalid request", ex.Message, new Dictionary<string, object?> { ["errors"] = ex.Errors });

    public static ProblemHttpResult BadRequest(string detail) =>
        Problem(StatusCodes.Status400BadRequest, "Invalid request", detail, new Dictionary<string, object?> { ["errors"] = new[] { detail } });

    /// <summary>The problem for an exception of the SDK, or null for any other.</summary>
    public static ProblemHttpResult? For(Exception exception) => exception switch
    {
        ExportAccessDeniedException denied => Problem(StatusCodes.Status403Forbidden, "Forbidden", denied.Message,
            new Dictionary<string, object?> { ["permission"] = denied.Permission?.ToString() }),
        ExportNotFoundException missing => NotFound(missing.Message),
        ExportRunInProgressException running => Problem(StatusCodes.Status409Conflict, "Run in progress", running.Message,
            new Dictionary<string, object?> { ["conflicts"] = running.Conflicts.Select(c => new { audienceId = c.AudienceId, runId = c.RunId }).ToList() }),
        ExportRunNotActiveException ended => Problem(StatusCodes.Status409Conflict, "Run already ended", ended.Message),
        ExportConcurrencyException stale => Problem(StatusCodes.Status412PreconditionFailed, "Changed by someone else", stale.Message),
        ExportValidationException invalid => BadRequest(invalid),
        _ => null,
    };

    private static ProblemHttpResult Problem(int status, string title, string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail, statusCode: status, title: title, extensions: extensions);
}
