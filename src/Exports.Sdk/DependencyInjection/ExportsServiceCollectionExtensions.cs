using Exports.Sdk;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the export SDK.</summary>
public static class ExportsServiceCollectionExtensions
{
    /// <summary>
    /// Registers the export engine, the CSV and JSON Lines formats and the local-folder destination provider.
    /// Safe to call more than once. Options are validated when the host starts.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <returns>A builder to add destinations, sources and formats.</returns>
    public static IExportsBuilder AddExports(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = new ExportsBuilder(services);
        if (services.Any(d => d.ServiceType == typeof(ExportsMarker)))
        {
            return builder;
        }

        services.AddSingleton<ExportsMarker>();
        services.AddOptions<ExportsOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<ExportsOptions>, ExportsOptionsSetup>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ExportsOptions>, ExportsOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<DestinationSecrets>();
        services.TryAddSingleton<DestinationCatalog>();
        services.TryAddSingleton<IDestinationCatalog>(sp => sp.GetRequiredService<DestinationCatalog>());
        services.TryAddSingleton<IDestinationManager, DestinationManager>();
        services.TryAddSingleton<AudiencePlanner>();
        services.TryAddSingleton<DatasetPlanner>();
        services.TryAddSingleton<ExportPipeline>();
        services.TryAddSingleton<ExportRunner>();
        services.TryAddSingleton<ActiveRuns>();
        services.TryAddSingleton<ExportRunQueue>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, ExportRunQueue>(sp => sp.GetRequiredService<ExportRunQueue>()));
        services.TryAddSingleton<IExportRunner>(sp => sp.GetRequiredService<ExportRunner>());
        services.TryAddSingleton<IExportStore>(sp => new FileExportStore(
            sp.GetRequiredService<IOptions<ExportsOptions>>().Value.StorePath, sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<IExportAuthorizationPolicy, RoleExportAuthorizationPolicy>();
        services.TryAddSingleton<AudienceStateGate>();
        services.TryAddSingleton<LeftoverCleanup>();
        services.TryAddSingleton<IExportSlotRunner, ExportSlotRunner>();
        services.TryAddSingleton<IExportManager, ExportManager>();
        services.TryAddSingleton<IExportsHealth, ExportsHealth>();
        services.TryAddSingleton<DatasetExportRunner>();
        services.TryAddSingleton<IDatasetExportManager, DatasetExportManager>();
        services.TryAddSingleton<IDatasetExportRunner>(sp => sp.GetRequiredService<DatasetExportRunner>());

        // Built-ins register through the same public methods a plug-in uses.
        builder.AddFormat<CsvFormat>();
        builder.AddFormat<JsonLinesFormat>();
        builder.AddFormat<JsonFormat>();
        builder.AddDestinationProvider<LocalFolderDestinationProvider>();
        return builder;
    }

    /// <summary>Registers the export SDK and configures its options in code.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Adds destinations and dataflows.</param>
    /// <returns>A builder to add destinations, sources and formats.</returns>
    public static IExportsBuilder AddExports(this IServiceCollection services, Action<ExportsOptions> configure)
    {
        var builder = services.AddExports();
        services.Configure(configure);
        return builder;
    }

    /// <summary>Marks that <see cref="AddExports(IServiceCollection)"/> ran, so a second call adds nothing twice.</summary>
    private sealed class ExportsMarker;
}
