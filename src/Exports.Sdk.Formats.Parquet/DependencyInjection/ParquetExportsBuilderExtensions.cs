using Exports.Sdk;
using Exports.Sdk.Formats.Parquet;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the Parquet format to the export SDK.</summary>
public static class ParquetExportsBuilderExtensions
{
    /// <summary>
    /// Registers the <c>parquet</c> format (select it with <see cref="FileFormatOptions.Name"/> = <c>parquet</c>) and the
    /// Parquet reader of file dataset sources. Safe to call more than once.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IExportsBuilder AddParquetFormat(this IExportsBuilder builder) =>
        builder.AddFormat<ParquetFormat>().AddDatasetFileReader<ParquetDatasetFileReader>();
}
