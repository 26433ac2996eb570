using System.Diagnostics.CodeAnalysis;
using Exports.Sdk;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds dataset sources and file readers to the export SDK.</summary>
public static class DatasetExportsBuilderExtensions
{
    /// <summary>Registers a dataset source under a name that dataset exports refer to.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The source name.</param>
    /// <param name="factory">Creates the source (once).</param>
    /// <returns>The builder.</returns>
    public static IExportsBuilder AddDatasetSource(this IExportsBuilder builder, string name, Func<IServiceProvider, IDatasetSource> factory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(factory);
        builder.Services.AddKeyedSingleton(name, (services, _) => factory(services));
        builder.Services.AddSingleton(new DatasetSourceName(name));
        return builder;
    }

    /// <summary>Registers a dataset source instance under a name that dataset exports refer to.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The source name.</param>
    /// <param name="source">The source.</param>
    /// <returns>The builder.</returns>
    public static IExportsBuilder AddDatasetSource(this IExportsBuilder builder, string name, IDatasetSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return builder.AddDatasetSource(name, _ => source);
    }

    /// <summary>
    /// Registers a reader of a data-file format for file dataset sources (the path built-in and plug-in readers take).
    /// </summary>
    /// <typeparam name="TReader">The reader type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IExportsBuilder AddDatasetFileReader<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TReader>(this IExportsBuilder builder)
        where TReader : class, IDatasetFileReader
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IDatasetFileReader, TReader>());
        return builder;
    }
}
