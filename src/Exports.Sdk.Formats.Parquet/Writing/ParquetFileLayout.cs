using global::Parquet;
using global::Parquet.Meta;
using global::Parquet.Schema;

namespace Exports.Sdk.Formats.Parquet;

/// <summary>
/// The layout of the Parquet files of one export: the typed schema readers see (dates, UTC microsecond timestamps,
/// decimals, UUIDs), taken from a footer Parquet.Net writes for it, and how each column's values are held and written
/// (<see cref="ParquetPhysicalKind"/>): dates, timestamps and decimals of up to 18 digits as the plain integers Parquet
/// stores them as, 16-byte decimals as their stored bytes. The SDK encodes the columns itself
/// (<see cref="ParquetColumnBuffer.WriteChunk"/>), but for decimals of other widths, which Parquet.Net encodes.
/// </summary>
internal sealed class ParquetFileLayout
{
    private readonly FormatWriterContext _context;
    private readonly ParquetFormatOptions _options;
    private readonly DataField[] _fields;
    private readonly ParquetPhysicalKind[] _kinds;

    private ParquetFileLayout(FormatWriterContext context, ParquetFormatOptions options, FileMetaData typedFooter, DataField[] fields, ParquetPhysicalKind[] kinds)
    {
        _context = context;
        _options = options;
        TypedFooter = typedFooter;
        _fields = fields;
        _kinds = kinds;
        // The schema attaches the fields (levels, paths), so buffers get them after it exists.
        var byParquetNet = fields.Where((_, i) => kinds[i] == ParquetPhysicalKind.Decimal).ToArray();
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
            CheckStoredAs(kinds[i], footer.Schema[i + 1]);
        }

        // Fields of their own for Parquet.Net's schema: a field belongs to one schema.
        return new ParquetFileLayout(context, options, footer, [.. columns.Select(c => TypedField(c, options, context.ExportName))], kinds);
    }

    /// <summary>A new, empty set of column buffers for one row group.</summary>
    public ParquetRowGroupBuffer CreateRowGroup() =>
        new(
            [.. _context.Columns.Select((c, i) => new ParquetColumnBuffer(c, _fields[i], _kinds[i], _options, _context.ExportName))],
            new ParquetPageWriter(new ParquetPageCompressor(_options.Codec, _options.CompressionLevel)));

    private static async Task<FileMetaData> EmptyFileFooterAsync(DataField[] fields, ParquetOptions parquetOptions, CancellationToken cancellationToken)
    {
        using var empty = new MemoryStream();
        var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), empty, parquetOptions, append: false, cancellationToken).ConfigureAwait(false);
        await writer.DisposeAsync().ConfigureAwait(false);
        return await EncodedRowGroup.ReadFooterAsync(empty, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The SDK writes a column's values as its kind says: the typed schema must store them so.</summary>
    private static void CheckStoredAs(ParquetPhysicalKind kind, SchemaElement stored)
    {
        var (type, length) = kind switch
        {
            ParquetPhysicalKind.String => (global::Parquet.Meta.Type.BYTE_ARRAY, (int?)null),
            ParquetPhysicalKind.Int32 => (global::Parquet.Meta.Type.INT32, null),
            ParquetPhysicalKind.Int64 => (global::Parquet.Meta.Type.INT64, null),
            ParquetPhysicalKind.Double => (global::Parquet.Meta.Type.DOUBLE, null),
            ParquetPhysicalKind.Boolean => (global::Parquet.Meta.Type.BOOLEAN, null),
            ParquetPhysicalKind.Guid or ParquetPhysicalKind.Decimal16 => (global::Parquet.Meta.Type.FIXED_LEN_BYTE_ARRAY, 16),
            // Encoded by Parquet.Net through the typed field itself.
            _ => (stored.Type, stored.TypeLength),
        };
        if (stored.Type != type || (length is not null && stored.TypeLength != length) || stored.RepetitionType != FieldRepetitionType.OPTIONAL || stored.NumChildren is > 0)
        {
            throw new InvalidOperationException(
                $"Column '{stored.Name}' is written as optional {type}{(length is { } l ? $"({l})" : "")}, but the file's schema stores it as {stored.RepetitionType} {stored.Type}({stored.TypeLength}).");
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
