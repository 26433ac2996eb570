using System.IO.Compression;

namespace Exports.Sdk;

/// <summary>A destination's file format, its options and compression.</summary>
public sealed class FileFormatOptions
{
    /// <summary>The format name: <c>csv</c> (default), <c>jsonl</c>, or a registered plug-in format such as <c>parquet</c>.</summary>
    public string Name { get; set; } = "csv";

    /// <summary>Compression around text formats. Default <see cref="ExportCompression.None"/>. Parquet uses its own codecs instead.</summary>
    public ExportCompression Compression { get; set; } = ExportCompression.None;

    /// <summary>
    /// The gzip level. Default <see cref="CompressionLevel.Fastest"/> (compression bounds export speed), which uses the
    /// SDK's own fast deflate encoder; the other levels use zlib.
    /// </summary>
    [System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<CompressionLevel>))]
    public CompressionLevel CompressionLevel { get; set; } = CompressionLevel.Fastest;

    /// <summary>
    /// How many cores one file may use for formatting and compression. Default 0: all of them. Rows keep their order
    /// in the file. gzip always compresses 1 MiB blocks as separate gzip members (a multi-member file every gzip reader
    /// accepts), on every core allowed; 1 formats and compresses on one thread.
    /// </summary>
    public int MaxDegreeOfParallelism { get; set; }

    /// <summary>The number of cores <see cref="MaxDegreeOfParallelism"/> allows on this machine.</summary>
    public int EffectiveParallelism => MaxDegreeOfParallelism > 0 ? Math.Min(MaxDegreeOfParallelism, Environment.ProcessorCount) : Environment.ProcessorCount;

    /// <summary>CSV options (used when <see cref="Name"/> is <c>csv</c>).</summary>
    public CsvFormatOptions Csv { get; set; } = new();

    /// <summary>
    /// Options of plug-in formats, keys case-insensitive (e.g. <c>codec</c> for Parquet). Each format documents its keys.
    /// </summary>
    public Dictionary<string, string?> Settings { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Returns a deep copy.</summary>
    /// <returns>The copy.</returns>
    public FileFormatOptions Clone()
    {
        var copy = (FileFormatOptions)MemberwiseClone();
        copy.Csv = Csv.Clone();
        copy.Settings = CaseInsensitiveKeys.Copy(Settings);
        return copy;
    }
}
