using Exports.Sdk;
using Exports.Sdk.Sources.Files;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds file dataset sources to the export SDK.</summary>
public static class FileSourceExportsBuilderExtensions
{
    /// <summary>
    /// Registers a <see cref="FileDatasetSource"/> under a name, with the CSV and JSON Lines readers (add
    /// <c>AddParquetFormat()</c> for Parquet files, or <c>AddDatasetFileReader</c> for your own format).
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The source name.</param>
    /// <param name="configure">Adds datasets by id.</param>
    /// <returns>The builder.</returns>
    public static IExportsBuilder AddFileDatasetSource(this IExportsBuilder builder, string name, Action<IDictionary<string, FileDataset>> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var datasets = new Dictionary<string, FileDataset>(StringComparer.Ordinal);
        configure(datasets);
        return builder
            .AddDatasetFileReader<CsvDatasetFileReader>()
            .AddDatasetFileReader<JsonLinesDatasetFileReader>()
            .AddDatasetSource(name, services => new FileDatasetSource(name, datasets, services.GetServices<IDatasetFileReader>()));
    }
}
