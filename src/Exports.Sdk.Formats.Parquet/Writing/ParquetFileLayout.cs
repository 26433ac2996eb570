using global::Parquet;
using global::Parquet.Meta;
using global::Parquet.Schema;

namespace Exports.Sdk.Formats.Parquet;

/// <summary>
/// The two schemas of a Parquet file the SDK writes: the typed one readers see (dates, UTC microsecond timestamps,
/// decimals, UUIDs), taken from a footer Parquet.Net writes for it, and the one row groups are encoded with, where dates,
/// timestamps and decimals of up to 18 digits are the plain integers Parquet stores them as, and 16-byte decimals are
/// UUID columns holding the decimals' bytes (the physical layout is the same: fixed-length arrays of 16 bytes).
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
        EncodedSchema = new ParquetSchema(encodedFields);
    }

    /// <summary>The footer of an empty file with the typed schema: the schema, version and creator the file gets.</summary>
    public FileMetaData TypedFooter { get; }

    /// <summary>The schema row groups are encoded with.</summary>
    public ParquetSchema EncodedSchema { get; }

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
        var typed = new ParquetSchema(columns.Select(c => TypedField(c, options, context.ExportName)).ToArray());
        FileMetaData footer;
        using (var empty = new MemoryStream())
        {
            var writer = await ParquetWriter.CreateAsync(typed, empty, parquetOptions, append: false, cancellationToken).ConfigureAwait(false);
            await writer.DisposeAsync().ConfigureAwait(false);

            footer = (await EncodedRowGroup.ReadAsync(empty, cancellationToken).ConfigureAwait(false)).Metadata;
        }

        var kinds = new ParquetPhysicalKind[columns.Count];
        var fields = new DataField[columns.Count];
        for (var i = 0; i < columns.Count; i++)
        {
            // A flat schema: the root, then one element per column.
            kinds[i] = Kind(columns[i].Type, footer.Schema[i + 1]);
            fields[i] = kinds[i] switch
            {
                ParquetPhysicalKind.Int32 => new DataField(columns[i].Name, typeof(int), isNullable: true),
                ParquetPhysicalKind.Int64 => new DataField(columns[i].Name, typeof(long), isNullable: true),
                ParquetPhysicalKind.Decimal16 => new DataField(columns[i].Name, typeof(Guid), isNullable: true),
                _ => TypedField(columns[i], options, context.ExportName),
            };
        }

        return new ParquetFileLayout(context, options, footer, fields, kinds);
    }

    /// <summary>A new, empty set of column buffers for one row group.</summary>
    public ParquetRowGroupBuffer CreateRowGroup() =>
        new([.. _context.Columns.Select((c, i) => new ParquetColumnBuffer(c, _encodedFields[i], _kinds[i], _options, _context.ExportName))]);

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
