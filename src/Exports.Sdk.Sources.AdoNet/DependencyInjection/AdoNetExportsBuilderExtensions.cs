using Exports.Sdk;
using Exports.Sdk.Sources.AdoNet;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds ADO.NET sources to the export SDK.</summary>
public static class AdoNetExportsBuilderExtensions
{
    /// <summary>
    /// Registers an <see cref="AdoNetSource"/> under a name, as an audience source (dataflows) and as a dataset source
    /// (dataset exports). The options are checked when the source is first used.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The source name.</param>
    /// <param name="configure">Sets the connection factory and the SQL; gets the application's services.</param>
    /// <returns>The builder.</returns>
    public static IExportsBuilder AddAdoNetSource(this IExportsBuilder builder, string name, Action<IServiceProvider, AdoNetSourceOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddKeyedSingleton(name, (services, _) =>
        {
            var options = new AdoNetSourceOptions();
            configure(services, options);
            return new AdoNetSource(name, options);
        });
        return builder
            .AddAudienceSource(name, services => services.GetRequiredKeyedService<AdoNetSource>(name))
            .AddDatasetSource(name, services => services.GetRequiredKeyedService<AdoNetSource>(name));
    }

    /// <summary>Registers an <see cref="AdoNetSource"/> under a name, as an audience source and as a dataset source.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The source name.</param>
    /// <param name="configure">Sets the connection factory and the SQL.</param>
    /// <returns>The builder.</returns>
    public static IExportsBuilder AddAdoNetSource(this IExportsBuilder builder, string name, Action<AdoNetSourceOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return builder.AddAdoNetSource(name, (_, options) => configure(options));
    }
}
