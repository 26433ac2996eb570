namespace Exports.Sdk;

/// <summary>
/// A file format (CSV, JSON Lines, Parquet, or your own). Register it with <c>AddFormat</c>; destinations pick it by
/// <see cref="FileFormatOptions.Name"/>.
/// </summary>
public interface IExportFormat
{
    /// <summary>The format name used in <see cref="FileFormatOptions.Name"/>, e.g. <c>csv</c>.</summary>
    string Name { get; }

    /// <summary>The file extension without a dot, e.g. <c>csv</c>.</summary>
    string FileExtension { get; }

    /// <summary>Whether gzip may wrap the output (false for formats with internal codecs such as Parquet).</summary>
    bool SupportsCompression { get; }

    /// <summary>Checks format options and returns every problem (empty when valid). Called at start-up.</summary>
    /// <param name="options">The destination's format options.</param>
    /// <returns>The problems, each naming the option and value.</returns>
    IReadOnlyList<string> Validate(FileFormatOptions options);

    /// <summary>Creates a writer for one file.</summary>
    /// <param name="output">
    /// The stream to write to (forward-only; already compressed when compression applies). The writer does not dispose it.
    /// </param>
    /// <param name="context">The columns to write and the options.</param>
    /// <returns>The writer.</returns>
    IFormatWriter CreateWriter(Stream output, FormatWriterContext context);
}
