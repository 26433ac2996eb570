using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Exports.Sdk.AspNetCore;

/// <summary>
/// Runs around every endpoint of the API: refuses anonymous callers (401) and, in read-only mode, changes (403); turns
/// the SDK's exceptions into ProblemDetails, so a refused request has changed nothing and says why.
/// </summary>
internal sealed class ExportsApiFilter : IEndpointFilter
{
    /// <summary>Set in <c>HttpContext.Items</c> by a layer above (the dashboard in read-only mode): refuse changes.</summary>
    public const string ReadOnlyItem = "Exports.ReadOnly";

    /// <summary>
    /// Whether this copy of the API is read-only: the host's own copy by <see cref="ExportsHttpApiOptions.IsReadOnly"/>,
    /// the dashboard's by its own mode (set in <see cref="ReadOnlyItem"/>), so neither locks the other.
    /// </summary>
    public static bool IsReadOnly(HttpContext http) =>
        http.Items.ContainsKey(ReadOnlyItem)
        || (http.GetEndpoint()?.Metadata.GetMetadata<ExportsApiGroup>()?.Named == true
            && http.RequestServices.GetRequiredService<IOptions<ExportsHttpApiOptions>>().Value.IsReadOnly);

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (http.User.Identity?.IsAuthenticated != true)
        {
            return ExportProblems.Unauthorized();
        }

        // A value the endpoint could not bind has already set 400 (the handler will not run); say which.
        if (http.Response.StatusCode == StatusCodes.Status400BadRequest)
        {
            return ExportProblems.BadRequest(QueryBindingFailure.Describe(http));
        }

        if (!HttpMethods.IsGet(http.Request.Method) && http.GetEndpoint()?.Metadata.GetMetadata<ChangesNothing>() is null && IsReadOnly(http))
        {
            return ExportProblems.ReadOnly();
        }

        try
        {
            return await next(context).ConfigureAwait(false);
        }
        catch (Exception ex) when (ExportProblems.For(ex) is { } problem)
        {
            return problem;
        }
    }
}
