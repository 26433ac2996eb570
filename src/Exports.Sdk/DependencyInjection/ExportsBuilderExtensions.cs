using Exports.Sdk;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds providers, destinations, sources, formats and dataflows to the export SDK.</summary>
public static class ExportsBuilderExtensions
{
    /// <summary>Registers a destination provider (the path every provider, built-in or custom, takes).</summary>
    /// <typeparam name="TProvider">The provider type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IExportsBuilder AddDestinationProvider<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TProvider>(this IExportsBuilder builder)
        where TProvider : class, IDestinationProvider
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IDestinationProvider, TProvider>());
        AddNamedOptions(builder.Services, typeof(TProvider));
        return builder;
    }

    /// <summary>Registers a destination provider instance.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="provider">The provider.</param>
    /// <returns>The builder.</returns>
    public static IExportsBuilder AddDestinationProvider(this IExportsBuilder builder, IDestinationProvider provider)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(provider);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton(provider));
        AddNamedOptions(builder.Services, provider.GetType());
        return builder;
    }

    /// <summary>Declares a destination in code.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The destination name.</param>
    /// <param name="type">The provider type, e.g. <c>local</c>.</param>
    /// <param name="configure">Sets settings, format, splitting and manifest.</param>
    /// <returns>The builder.</returns>
    public static IExportsBuilder AddDestination(this IExportsBuilder builder, string name, string type, Action<DestinationDefinition>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(type);
        builder.Services.Configure<ExportsOptions>(options =>
        {
            var definition = new DestinationDefinition { Name = name, Type = type };
            configure?.Invoke(definition);
            options.Destinations[name] = definition;
        });
        return builder;
    }

    /// <summary>Declares a local-folder destination.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The destination name.</param>
    /// <param name="path">The root folder.</param>
    /// <param name="configure">Sets format, splitting and manifest.</param>
    /// <returns>The builder.</returns>
    public static IExportsBuilder AddLocalFolderDestination(this IExportsBuilder builder, string name, string path, Action<DestinationDefinition>? configure = null) =>
        builder.AddDestination(name, LocalFolderDestinationProvider.TypeName, definition =>
        {
            DestinationSettingsBinder.Write(new LocalFolderDestinationOptions { Path = path }, definition.Settings);
            configure?.Invoke(definition);
        });

    /// <summary>Registers an audience source under a name that dataflows refer to.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The source name.</param>
    /// <param name="factory">Creates the source (once).</param>
    /// <returns>The builder.</returns>
    public static IExportsBuilder AddAudienceSource(this IExportsBuilder builder, string name, Func<IServiceProvider, IAudienceSource> factory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(factory);
        builder.Services.AddKeyedSingleton(name, (services, _) => factory(services));
        builder.Services.AddSingleton(new AudienceSourceName(name));
        return builder;
    }

    /// <summary>Registers an audience source instance under a name that dataflows refer to.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The source name.</param>
    /// <param name="source">The source.</param>
    /// <returns>The builder.</returns>
    public static IExportsBuilder AddAudienceSource(this IExportsBuilder builder, string name, IAudienceSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return builder.AddAudienceSource(name, _ => source);
    }

    /// <summary>Registers a file format (selected by <see cref="FileFormatOptions.Name"/>).</summary>
    /// <typeparam name="TFormat">The format type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IExportsBuilder AddFormat<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TFormat>(this IExportsBuilder builder)
        where TFormat : class, IExportFormat
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IExportFormat, TFormat>());
        return builder;
    }

    /// <summary>Declares a dataflow in code.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="id">The dataflow id.</param>
    /// <param name="configure">Sets source, destination, attributes and audiences.</param>
    /// <returns>The builder.</returns>
    public static IExportsBuilder AddDataflow(this IExportsBuilder builder, string id, Action<DataflowDefinition> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure<ExportsOptions>(options =>
        {
            var dataflow = new DataflowDefinition { Id = id };
            configure(dataflow);
            options.Dataflows[id] = dataflow;
        });
        return builder;
    }

    /// <summary>Binds destinations and dataflows from a configuration section (e.g. <c>Exports</c> of appsettings.json).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="section">The section.</param>
    /// <returns>The builder.</returns>
    public static IExportsBuilder BindConfiguration(this IExportsBuilder builder, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(section);
        // The check comes first: the binder would drop a destination whose value does not convert.
        builder.Services.AddSingleton<IConfigureOptions<ExportsOptions>>(new ExportsConfigurationCheck(section));
        builder.Services.Configure<ExportsOptions>(section);
        builder.Services.AddSingleton<IConfigureOptions<ExportsOptions>>(new ExportsConfigurationEmptyValues(section));
        return builder;
    }

    /// <summary>Keeps dataflows, runs and watermarks in a store of your choice (e.g. a database package's).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="factory">Creates the store (once).</param>
    /// <returns>The builder.</returns>
    public static IExportsBuilder UseExportStore(this IExportsBuilder builder, Func<IServiceProvider, IExportStore> factory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(factory);
        builder.Services.RemoveAll<IExportStore>();
        builder.Services.AddSingleton(factory);
        return builder;
    }

    /// <summary>Keeps dataflows, runs and watermarks in files under a folder (the default store, durable, one host).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="path">The folder.</param>
    /// <returns>The builder.</returns>
    public static IExportsBuilder UseFileExportStore(this IExportsBuilder builder, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return builder.UseExportStore(sp => new FileExportStore(path, sp.GetRequiredService<TimeProvider>()));
    }

    /// <summary>Keeps dataflows, runs and watermarks in memory (tests; nothing survives the process).</summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IExportsBuilder UseInMemoryExportStore(this IExportsBuilder builder) =>
        builder.UseExportStore(sp => new InMemoryExportStore(sp.GetRequiredService<TimeProvider>()));

    /// <summary>Replaces the authorization policy (default <see cref="RoleExportAuthorizationPolicy"/>).</summary>
    /// <typeparam name="TPolicy">The policy type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IExportsBuilder UseAuthorizationPolicy<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TPolicy>(this IExportsBuilder builder)
        where TPolicy : class, IExportAuthorizationPolicy
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.RemoveAll<IExportAuthorizationPolicy>();
        builder.Services.AddSingleton<IExportAuthorizationPolicy, TPolicy>();
        return builder;
    }

    /// <summary>
    /// Adds the in-process scheduler: a hosted service that runs every enabled schedule and implements
    /// <see cref="IExportScheduler"/>.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets poll interval, missed-run policy, concurrency.</param>
    /// <returns>The builder.</returns>
    public static IExportsBuilder AddScheduler(this IExportsBuilder builder, Action<ExportSchedulerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<ExportSchedulerOptions>()
            .Validate(o => o.PollInterval > TimeSpan.Zero, "ExportSchedulerOptions.PollInterval must be positive.")
            .Validate(o => o.MaxConcurrentRuns >= 1, "ExportSchedulerOptions.MaxConcurrentRuns must be at least 1.")
            .Validate(o => o.MisfireThreshold >= TimeSpan.Zero, "ExportSchedulerOptions.MisfireThreshold must not be negative.")
            .ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        builder.Services.TryAddSingleton<ExportScheduler>();
        builder.Services.TryAddSingleton<IExportScheduler>(sp => sp.GetRequiredService<ExportScheduler>());
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, ExportScheduler>(sp => sp.GetRequiredService<ExportScheduler>()));
        return builder;
    }

    /// <summary>A provider with typed options also gives them as named options, one name per destination.</summary>
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicConstructors, typeof(DestinationOptionsSetup<>))]
    [UnconditionalSuppressMessage("Trimming", "IL2055", Justification = "Options types are classes, so the setup's shared code serves each; its constructor is kept above, and DestinationProvider<TOptions> keeps the options' properties.")]
    private static void AddNamedOptions(IServiceCollection services, Type providerType)
    {
        for (var type = providerType.BaseType; type is not null; type = type.BaseType)
        {
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(DestinationProvider<>))
            {
                services.TryAddEnumerable(ServiceDescriptor.Singleton(
                    typeof(IConfigureOptions<>).MakeGenericType(type.GenericTypeArguments), typeof(DestinationOptionsSetup<>).MakeGenericType(type.GenericTypeArguments)));
                return;
            }
        }
    }
}
