using Exports.Sdk.Dashboard;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Exports.Sdk;

/// <summary>Adds the dashboard's services to <c>services.AddExports()</c>.</summary>
public static class ExportsDashboardBuilderExtensions
{
    /// <summary>
    /// Adds what <see cref="Microsoft.AspNetCore.Builder.ExportsDashboardEndpointRouteBuilderExtensions.MapExportsDashboard"/>
    /// needs: the HTTP API it talks to and ASP.NET Core anti-forgery, which protects its changes against cross-site
    /// requests. Safe to call more than once.
    /// </summary>
    /// <param name="builder">The exports builder.</param>
    /// <param name="configure">Sets the default options of every dashboard mapped without its own (authorization, read-only, title).</param>
    /// <returns>The builder.</returns>
    public static IExportsBuilder AddDashboard(this IExportsBuilder builder, Action<ExportsDashboardOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<ExportsDashboardOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        if (!builder.Services.Any(s => s.ServiceType == typeof(Exports.Sdk.AspNetCore.HttpApiMarker)))
        {
            builder.AddHttpApi();
        }

        builder.Services.AddAntiforgery();
        builder.Services.TryAddSingleton<DashboardMarker>();
        builder.Services.TryAddSingleton<DashboardAssets>();
        return builder;
    }
}
