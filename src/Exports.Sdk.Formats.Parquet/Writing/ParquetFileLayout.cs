using global::Parquet;
using global::Parquet.Meta;
using global::Parquet.Schema;

namespace Exports.Sdk.Formats.Parquet;

/// <summary>
/// The two schemas of a Parquet file the SDK writes: the typed one readers see (dates, UTC microsecond timestamps,
/// decimals, UUIDs), taken from a footer Parquet.Net writes for it, and the one row groups are encoded with, where dates,
/// timestamps and decimals of up to 18 digits are the plain integers Parquet stores them as, and 16-byte decimals are
/// UUID columns holding the decimals' bytes (the physical layout is the same: fixed-length arrays of 16 bytes). The SDK
/// encodes the columns itself (<see cref="ParquetColumnBuffer.WriteChunk"/>), but for decimals of other widths, which
/// Parquet.Net encodes.
/// </summary>
internal sealed class ParquetFileLayout
{
    private readonly FormatWriterContext _context;
    private readonly ParquetFormatOptions _options;
    private readonly DataField[] _encodedFields;
    private readonly ParquetPhysicalKind[] _kinds;

    private ParquetFileLayout(FormatWriterContext context, ParquetFormatOptions options, FileMetaData typedFooter, DataField[] encodedFields, ParquetPhysicalKind[] kinds)
    {
        _context = context;
        _options = options;
        TypedFooter = typedFooter;
        _encodedFields = encodedFields;
        _kinds = kinds;
        // The schema attaches the fields (levels, paths), so buffers get them after it exists.
        var byParquetNet = encodedFields.Where((_, i) => kinds[i] == ParquetPhysicalKind.Decimal).ToArray();
        ParquetNetSchema = byParquetNet.Length == 0 ? null : new ParquetSchema(byParquetNet);
    }

    /// <summary>The footer of an empty file with the typed schema: the schema, version and creator the file gets.</summary>
    public FileMetaData TypedFooter { get; }

    /// <summary>The schema Parquet.Net encodes its columns of a row group with; null when the SDK encodes them all.</summary>
    public ParquetSchema? ParquetNetSchema { get; }

    /// <summary>Throws when a column has a type Parquet export does not support.</summary>
    public static void Validate(FormatWriterContext context, ParquetFormatOptions options)
    {
        foreach (var column in context.Columns)
        {
            _ = TypedField(column, options, context.ExportName);
        }
    }

    public static async Task<ParquetFileLayout> CreateAsync(FormatWriterContext context, ParquetFormatOptions options, ParquetOptions parquetOptions, CancellationToken cancellationToken)
    {
        var columns = context.Columns;
        var footer = await EmptyFileFooterAsync([.. columns.Select(c => TypedField(c, options, context.ExportName))], parquetOptions, cancellationToken).ConfigureAwait(false);
        var kinds = new ParquetPhysicalKind[columns.Count];
        for (var i = 0; i < columns.Count; i++)
        {
            // A flat schema: the root, then one element per column.
            kinds[i] = Kind(columns[i].Type, footer.Schema[i + 1]);
        }

        DataField[] EncodedFields() => [.. columns.Select((c, i) => kinds[i] switch
        {
            ParquetPhysicalKind.Int32 => new DataField(c.Name, typeof(int), isNullable: true),
            ParquetPhysicalKind.Int64 => new DataField(c.Name, typeof(long), isNullable: true),
            ParquetPhysicalKind.Decimal16 => new DataField(c.Name, typeof(Guid), isNullable: true),
            _ => TypedField(c, options, context.ExportName),
        })];

        // The encoded fields' own footer (a field belongs to one schema, so they are made twice).
        var encoded = await EmptyFileFooterAsync(EncodedFields(), parquetOptions, cancellationToken).ConfigureAwait(false);
        CheckSamePhysicalLayout(encoded.Schema, footer.Schema);
        return new ParquetFileLayout(context, options, footer, EncodedFields(), kinds);
    }

    /// <summary>A new, empty set of column buffers for one row group.</summary>
    public ParquetRowGroupBuffer CreateRowGroup() =>
        new(
            [.. _context.Columns.Select((c, i) => new ParquetColumnBuffer(c, _encodedFields[i], _kinds[i], _options, _context.ExportName))],
            new ParquetPageWriter(new ParquetPageCompressor(_options.Codec, _options.CompressionLevel)));

    private static async Task<FileMetaData> EmptyFileFooterAsync(DataField[] fields, ParquetOptions parquetOptions, CancellationToken cancellationToken)
    {
        using var empty = new MemoryStream();
        var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), empty, parquetOptions, append: false, cancellationToken).ConfigureAwait(false);
        await writer.DisposeAsync().ConfigureAwait(false);
        return await EncodedRowGroup.ReadFooterAsync(empty, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The typed schema may only add logical types: names, physical types and nesting must be the encoded ones.</summary>
    private static void CheckSamePhysicalLayout(List<SchemaElement> encoded, List<SchemaElement> typed)
    {
        // The length matters for fixed-length byte arrays only (Parquet.Net also records it for integer decimals).
        static string Describe(SchemaElement e) =>
            $"{e.Name} {e.Type}{(e.Type == global::Parquet.Meta.Type.FIXED_LEN_BYTE_ARRAY ? $"({e.TypeLength})" : "")} {e.RepetitionType} children {e.NumChildren}";
        for (var i = 0; i < Math.Max(encoded.Count, typed.Count); i++)
        {
            var a = i < encoded.Count ? Describe(encoded[i]) : "nothing";
            var b = i < typed.Count ? Describe(typed[i]) : "nothing";
            if (a != b)
            {
                throw new InvalidOperationException($"The encoded row groups do not have the physical layout of the file's typed schema: {a} is {b} there.");
            }
        }
    }

    private static ParquetPhysicalKind Kind(ExportColumnType type, SchemaElement stored) => type switch
    {
        ExportColumnType.String => ParquetPhysicalKind.String,
        ExportColumnType.Int32 or ExportColumnType.Date => ParquetPhysicalKind.Int32,
        ExportColumnType.Int64 or ExportColumnType.Timestamp => ParquetPhysicalKind.Int64,
        ExportColumnType.Double => ParquetPhysicalKind.Double,
        ExportColumnType.Boolean => ParquetPhysicalKind.Boolean,
        ExportColumnType.Guid => ParquetPhysicalKind.Guid,
        // Parquet.Net stores decimals of up to 9 and 18 digits as INT32 and INT64, wider ones as byte arrays (its own
        // conversion of those goes through BigInteger for every value: a third of a file's encoding time at 38 digits).
        _ => stored.Type switch
        {
            global::Parquet.Meta.Type.INT32 => ParquetPhysicalKind.Int32,
            global::Parquet.Meta.Type.INT64 => ParquetPhysicalKind.Int64,
            global::Parquet.Meta.Type.FIXED_LEN_BYTE_ARRAY when stored.TypeLength == 16 => ParquetPhysicalKind.Decimal16,
            _ => ParquetPhysicalKind.Decimal,
        },
    };

    private static DataField TypedField(OutputColumn column, ParquetFormatOptions options, string exportName) => column.Type switch
    {
        ExportColumnType.String => new DataField(column.Name, typeof(string), isNullable: true),
        ExportColumnType.Int32 => new DataField(column.Name, typeof(int), isNullable: true),
        ExportColumnType.Int64 => new DataField(column.Name, typeof(long), isNullable: true),
        ExportColumnType.Double => new DataField(column.Name, typeof(double), isNullable: true),
        ExportColumnType.Decimal => new DecimalDataField(column.Name, options.DecimalPrecision, options.DecimalScale, forceByteArrayEncoding: false, isNullable: true),
        ExportColumnType.Boolean => new DataField(column.Name, typeof(bool), isNullable: true),
        ExportColumnType.Date => new DataField(column.Name, typeof(DateOnly), isNullable: true),
        ExportColumnType.Timestamp => new DateTimeDataField(column.Name, DateTimeFormat.Timestamp, isAdjustedToUTC: true, DateTimeTimeUnit.Micros, isNullable: true),
        ExportColumnType.Guid => new DataField(column.Name, typeof(Guid), isNullable: true),
        _ => throw new ExportException($"{exportName}: column '{column.Name}' has the type {column.Type}, which Parquet export does not support."),
    };
}
