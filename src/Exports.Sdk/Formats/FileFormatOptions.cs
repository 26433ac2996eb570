using System.IO.Compression;

namespace Exports.Sdk;

/// <summary>A destination's file format, its options and compression.</summary>
public sealed class FileFormatOptions
{
    /// <summary>The format name: <c>csv</c> (default), <c>jsonl</c>, or a registered plug-in format such as <c>parquet</c>.</summary>
    public string Name { get; set; } = "csv";

    /// <summary>Compression around text formats. Default <see cref="ExportCompression.None"/>. Parquet uses its own codecs instead.</summary>
    public ExportCompression Compression { get; set; } = ExportCompression.None;

    /// <summary>The gzip level. Default <see cref="CompressionLevel.Fastest"/> (compression bounds export speed).</summary>
    public CompressionLevel CompressionLevel { get; set; } = CompressionLevel.Fastest;

    /// <summary>
    /// Whether gzip compresses 1 MiB blocks on every core, each as its own gzip member (a multi-member file that every
    /// gzip reader accepts). Default true; false writes one member on one core.
    /// </summary>
    public bool ParallelCompression { get; set; } = true;

    /// <summary>CSV options (used when <see cref="Name"/> is <c>csv</c>).</summary>
    public CsvFormatOptions Csv { get; set; } = new();

    /// <summary>
    /// Options of plug-in formats, keys case-insensitive (e.g. <c>codec</c> for Parquet). Each format documents its keys.
    /// </summary>
    public Dictionary<string, string?> Settings { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
