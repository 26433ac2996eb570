using System.Runtime.CompilerServices;

namespace Exports.Sdk.Formats.Parquet;

/// <summary>
/// The Parquet format (<c>parquet</c>, files <c>*.parquet</c>): one typed, nullable column per exported column, row groups
/// bounded by rows and estimated bytes, pages compressed by the codec of <see cref="ParquetFormatOptions"/> (never by an
/// outer gzip). Register it with <c>AddParquetFormat()</c>.
/// </summary>
/// <remarks>
/// Types: String → BYTE_ARRAY (STRING); Int32 → INT32; Int64 → INT64; Double → DOUBLE; Decimal → DECIMAL(precision, scale)
/// (default 38, 18); Boolean → BOOLEAN; Date → INT32 (DATE); Timestamp → INT64 (TIMESTAMP, UTC-adjusted, microseconds);
/// Guid → FIXED_LEN_BYTE_ARRAY(16) (UUID, RFC 4122 byte order).
/// </remarks>
public sealed class ParquetFormat : IExportFormat, IInternalCompressionFormat
{
    /// <summary>The format name, <c>parquet</c>.</summary>
    public const string FormatName = "parquet";

    // One pool per export (its context), handed from part to part and gone with the export.
    private readonly ConditionalWeakTable<FormatWriterContext, ParquetWriterPool> _pools = new();

    /// <inheritdoc />
    public string Name => FormatName;

    /// <inheritdoc />
    public string FileExtension => "parquet";

    /// <inheritdoc />
    public bool SupportsCompression => false;

    /// <inheritdoc />
    public IReadOnlyList<string> Validate(FileFormatOptions options)
    {
        var problems = new List<string>();
        ParquetFormatOptions.Parse(options, problems);
        return problems;
    }

    /// <inheritdoc />
    public string GetCompressionName(FileFormatOptions options) =>
        ParquetFormatOptions.ToText(ParquetFormatOptions.Parse(options, new List<string>()).Codec);

    /// <inheritdoc />
    public IFormatWriter CreateWriter(Stream output, FormatWriterContext context)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(context);
        var problems = new List<string>();
        var options = ParquetFormatOptions.Parse(context.Options, problems);
        if (problems.Count > 0)
        {
            throw new ExportValidationException(problems);
        }

        return new ParquetFormatWriter(output, context, options, _pools.GetValue(context, _ => new ParquetWriterPool()));
    }
}
