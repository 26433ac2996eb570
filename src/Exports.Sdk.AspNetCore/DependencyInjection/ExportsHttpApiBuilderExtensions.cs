using Exports.Sdk.AspNetCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Exports.Sdk;

/// <summary>Adds the HTTP API's services to <c>services.AddExports()</c>.</summary>
public static class ExportsHttpApiBuilderExtensions
{
    /// <summary>
    /// Adds what <see cref="Microsoft.AspNetCore.Builder.ExportsApiEndpointRouteBuilderExtensions.MapExportsApi"/> needs: its options and ProblemDetails
    /// for errors. Callers are the host's own users (<c>HttpContext.User</c>); permissions are checked by the SDK's
    /// <see cref="IExportAuthorizationPolicy"/>.
    /// </summary>
    /// <param name="builder">The exports builder.</param>
    /// <param name="configure">Sets the API's options.</param>
    /// <returns>The builder.</returns>
    public static IExportsBuilder AddHttpApi(this IExportsBuilder builder, Action<ExportsHttpApiOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<ExportsHttpApiOptions>()
            .Validate(o => o.MaxPageSize is >= 1 and <= 500, "ExportsHttpApiOptions.MaxPageSize must be between 1 and 500.");
        if (configure is not null)
        {
            options.Configure(configure);
        }

        builder.Services.AddProblemDetails();
        builder.Services.TryAddSingleton<HttpApiMarker>();
        return builder;
    }
}
