namespace Exports.Sdk;

/// <summary>
/// Optional for formats that compress internally (<see cref="IExportFormat.SupportsCompression"/> false), such as Parquet:
/// names the codec a destination's options select, for the manifest's <c>compression</c>.
/// </summary>
public interface IInternalCompressionFormat
{
    /// <summary>Returns the codec the options select, e.g. <c>snappy</c>.</summary>
    /// <param name="options">The destination's format options.</param>
    /// <returns>The codec name, lowercase.</returns>
    string GetCompressionName(FileFormatOptions options);
}
