using System.Globalization;
using System.IO.Compression;

namespace Exports.Sdk.Formats.Parquet;

/// <summary>
/// The Parquet options, read from a destination's <see cref="FileFormatOptions.Settings"/> (keys case-insensitive).
/// Every key is optional; its default is given below.
/// </summary>
public sealed class ParquetFormatOptions
{
    /// <summary>Key of <see cref="Codec"/>: <c>snappy</c> (default), <c>zstd</c>, <c>gzip</c> or <c>none</c>.</summary>
    public const string CodecKey = "codec";

    /// <summary>Key of <see cref="CompressionLevel"/>: <c>fastest</c>, <c>optimal</c> (default) or <c>smallest</c>.</summary>
    public const string CompressionLevelKey = "compressionLevel";

    /// <summary>Key of <see cref="RowGroupRows"/>.</summary>
    public const string RowGroupRowsKey = "rowGroupRows";

    /// <summary>Key of <see cref="RowGroupBytes"/>.</summary>
    public const string RowGroupBytesKey = "rowGroupBytes";

    /// <summary>Key of <see cref="DecimalPrecision"/>.</summary>
    public const string DecimalPrecisionKey = "decimalPrecision";

    /// <summary>Key of <see cref="DecimalScale"/>.</summary>
    public const string DecimalScaleKey = "decimalScale";

    /// <summary>The default <see cref="RowGroupRows"/>: 1,000,000.</summary>
    public const int DefaultRowGroupRows = 1_000_000;

    /// <summary>The default <see cref="RowGroupBytes"/>: 16 MiB (measured: flat peak memory of about 220 MB from 1M to 10M rows).</summary>
    public const long DefaultRowGroupBytes = 16L * 1024 * 1024;

    private static readonly string[] Keys = [CodecKey, CompressionLevelKey, RowGroupRowsKey, RowGroupBytesKey, DecimalPrecisionKey, DecimalScaleKey];

    /// <summary>The column codec. Default <see cref="ParquetCodec.Snappy"/>.</summary>
    public ParquetCodec Codec { get; init; } = ParquetCodec.Snappy;

    /// <summary>The level of zstd and gzip (snappy has none). Default <see cref="System.IO.Compression.CompressionLevel.Optimal"/>.</summary>
    public CompressionLevel CompressionLevel { get; init; } = CompressionLevel.Optimal;

    /// <summary>
    /// The most rows a row group holds before it is written out. Default 1,000,000. Memory grows with the row group,
    /// so this, with <see cref="RowGroupBytes"/>, bounds what a Parquet export holds at once.
    /// </summary>
    public int RowGroupRows { get; init; } = DefaultRowGroupRows;

    /// <summary>
    /// The memory the buffered rows may take (values, null levels and the text of strings, estimated) before the row group
    /// is written out, even before <see cref="RowGroupRows"/>; checked every 1,024 rows. Default 16 MiB. Encoding a row
    /// group takes about as much again, so a Parquet export peaks near twice this.
    /// </summary>
    public long RowGroupBytes { get; init; } = DefaultRowGroupBytes;

    /// <summary>
    /// The precision of <see cref="ExportColumnType.Decimal"/> columns, 1 to 38. Default 38. A value whose integer part
    /// does not fit (more than precision − scale digits) fails the export naming the column.
    /// </summary>
    public int DecimalPrecision { get; init; } = 38;

    /// <summary>
    /// The scale of <see cref="ExportColumnType.Decimal"/> columns, 0 to the precision. Default 18 (decimal(38,18), the
    /// common lake default, holds every .NET decimal below 10^20). Values with more fractional digits are rounded half
    /// away from zero.
    /// </summary>
    public int DecimalScale { get; init; } = 18;

    /// <summary>Reads the options from format settings and adds a problem naming the key and value for each bad one.</summary>
    /// <param name="options">The destination's format options.</param>
    /// <param name="problems">Receives the problems.</param>
    /// <returns>The options (defaults where a value was bad).</returns>
    public static ParquetFormatOptions Parse(FileFormatOptions options, ICollection<string> problems)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(problems);
        var settings = options.Settings;
        foreach (var key in settings.Keys.Where(k => !Keys.Contains(k, StringComparer.OrdinalIgnoreCase)))
        {
            problems.Add($"Format.Settings has the unknown key '{key}' for Parquet; known keys: {string.Join(", ", Keys)}.");
        }

        var codec = ParquetCodec.Snappy;
        if (Get(settings, CodecKey) is { } codecText && !TryParseCodec(codecText, out codec))
        {
            problems.Add($"Format.Settings.{CodecKey} '{codecText}' is not supported; use snappy, zstd, gzip or none.");
        }

        var level = CompressionLevel.Optimal;
        if (Get(settings, CompressionLevelKey) is { } levelText)
        {
            level = levelText.ToLowerInvariant() switch
            {
                "fastest" => CompressionLevel.Fastest,
                "optimal" => CompressionLevel.Optimal,
                "smallest" => CompressionLevel.SmallestSize,
                _ => Bad(problems, $"Format.Settings.{CompressionLevelKey} '{levelText}' is not supported; use fastest, optimal or smallest.", CompressionLevel.Optimal),
            };
        }

        var rows = (int)Number(settings, RowGroupRowsKey, DefaultRowGroupRows, 1, 100_000_000, problems);
        var bytes = Number(settings, RowGroupBytesKey, DefaultRowGroupBytes, 1024, 2L * 1024 * 1024 * 1024, problems);
        var precision = (int)Number(settings, DecimalPrecisionKey, 38, 1, 38, problems);
        var scale = (int)Number(settings, DecimalScaleKey, Math.Min(18, precision), 0, 38, problems);
        if (scale > precision)
        {
            problems.Add($"Format.Settings.{DecimalScaleKey} '{scale}' must not exceed {DecimalPrecisionKey} ({precision}).");
            scale = Math.Min(scale, precision);
        }

        return new ParquetFormatOptions
        {
            Codec = codec,
            CompressionLevel = level,
            RowGroupRows = rows,
            RowGroupBytes = bytes,
            DecimalPrecision = precision,
            DecimalScale = scale,
        };
    }

    /// <summary>The codec's text, as written in manifests.</summary>
    /// <param name="codec">The codec.</param>
    /// <returns><c>snappy</c>, <c>zstd</c>, <c>gzip</c> or <c>none</c>.</returns>
    public static string ToText(ParquetCodec codec) => codec.ToString().ToLowerInvariant();

    private static bool TryParseCodec(string text, out ParquetCodec codec)
    {
        codec = text.ToLowerInvariant() switch
        {
            "snappy" => ParquetCodec.Snappy,
            "zstd" => ParquetCodec.Zstd,
            "gzip" => ParquetCodec.Gzip,
            "none" or "uncompressed" => ParquetCodec.None,
            _ => (ParquetCodec)(-1),
        };
        return Enum.IsDefined(codec);
    }

    private static string? Get(Dictionary<string, string?> settings, string key) =>
        settings.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    private static long Number(Dictionary<string, string?> settings, string key, long fallback, long min, long max, ICollection<string> problems)
    {
        if (Get(settings, key) is not { } text)
        {
            return fallback;
        }

        if (!long.TryParse(text.Replace("_", "", StringComparison.Ordinal), NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var value)
            || value < min || value > max)
        {
            problems.Add($"Format.Settings.{key} '{text}' must be a whole number from {min.ToString("N0", CultureInfo.InvariantCulture)} to {max.ToString("N0", CultureInfo.InvariantCulture)}.");
            return fallback;
        }

        return value;
    }

    private static T Bad<T>(ICollection<string> problems, string problem, T fallback)
    {
        problems.Add(problem);
        return fallback;
    }
}
