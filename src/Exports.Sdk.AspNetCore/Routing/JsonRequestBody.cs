using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Metadata;

namespace Exports.Sdk.AspNetCore;

/// <summary>
/// Describes an endpoint's JSON body (for ApiExplorer and OpenAPI) without naming content types: routing refuses a
/// request whose Content-Type is not among an endpoint's accepted ones with an empty 415, before the API's filter
/// runs, while <see cref="JsonBody"/> answers it with a ProblemDetails that names the type it was given.
/// </summary>
internal sealed class JsonRequestBody(Type requestType) : IAcceptsMetadata
{
    /// <summary>None, so routing's content-type check leaves the request to the handler (OpenAPI shows application/json).</summary>
    public IReadOnlyList<string> ContentTypes => [];

    /// <summary>The body's type.</summary>
    public Type? RequestType => requestType;

    /// <summary>The body is required.</summary>
    public bool IsOptional => false;
}

/// <summary>Adds <see cref="JsonRequestBody"/> to an endpoint.</summary>
internal static class JsonRequestBodyExtensions
{
    public static RouteHandlerBuilder AcceptsJson<T>(this RouteHandlerBuilder builder) => builder.WithMetadata(new JsonRequestBody(typeof(T)));
}
