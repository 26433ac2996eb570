using global::Parquet;
using global::Parquet.Schema;

namespace Exports.Sdk.Formats.Parquet;

/// <summary>One column of the row group being read: its values and definition levels, copied row by row into batches.</summary>
internal abstract class ParquetColumnSlot
{
    /// <summary>Reads the column's chunk of a row group into reused buffers.</summary>
    public abstract ValueTask ReadAsync(ParquetRowGroupReader rowGroup, int rows, CancellationToken cancellationToken);

    /// <summary>Copies the next row's value (or leaves null) into a batch.</summary>
    public abstract void CopyNext(RowBatch batch, int row, int column);

    /// <summary>Creates the slot for a file field, or null when its type cannot be exported.</summary>
    public static ParquetColumnSlot? Create(DataField field)
    {
        if (field.IsArray || field.MaxRepetitionLevel > 0)
        {
            return null;
        }

        var type = field.ClrType;
        return type switch
        {
            _ when type == typeof(string) || type == typeof(ReadOnlyMemory<char>) => new ParquetColumnSlot<ReadOnlyMemory<char>>(field, static (b, r, c, v) => b.SetString(r, c, new string(v.Span))),
            _ when type == typeof(int) => new ParquetColumnSlot<int>(field, static (b, r, c, v) => b.SetInt32(r, c, v)),
            _ when type == typeof(short) => new ParquetColumnSlot<short>(field, static (b, r, c, v) => b.SetInt32(r, c, v)),
            _ when type == typeof(byte) => new ParquetColumnSlot<byte>(field, static (b, r, c, v) => b.SetInt32(r, c, v)),
            _ when type == typeof(long) => new ParquetColumnSlot<long>(field, static (b, r, c, v) => b.SetInt64(r, c, v)),
            _ when type == typeof(double) => new ParquetColumnSlot<double>(field, static (b, r, c, v) => b.SetDouble(r, c, v)),
            _ when type == typeof(float) => new ParquetColumnSlot<float>(field, static (b, r, c, v) => b.SetDouble(r, c, v)),
            _ when type == typeof(decimal) => new ParquetColumnSlot<decimal>(field, static (b, r, c, v) => b.SetDecimal(r, c, v)),
            _ when type == typeof(bool) => new ParquetColumnSlot<bool>(field, static (b, r, c, v) => b.SetBoolean(r, c, v)),
            _ when type == typeof(DateOnly) => new ParquetColumnSlot<DateOnly>(field, static (b, r, c, v) => b.SetDate(r, c, v)),
            _ when type == typeof(DateTime) => new ParquetColumnSlot<DateTime>(field, static (b, r, c, v) =>
                b.SetTimestamp(r, c, new DateTimeOffset(v.Kind == DateTimeKind.Local ? v.ToUniversalTime() : DateTime.SpecifyKind(v, DateTimeKind.Utc)))),
            _ when type == typeof(Guid) => new ParquetColumnSlot<Guid>(field, static (b, r, c, v) => b.SetGuid(r, c, v)),
            _ => null,
        };
    }

    /// <summary>The export type of a file field, or null when it has none.</summary>
    public static ExportColumnType? GetExportType(DataField field)
    {
        if (field.IsArray || field.MaxRepetitionLevel > 0)
        {
            return null;
        }

        var type = field.ClrType;
        if (type == typeof(string) || type == typeof(ReadOnlyMemory<char>))
        {
            return ExportColumnType.String;
        }

        if (type == typeof(int) || type == typeof(short) || type == typeof(byte))
        {
            return ExportColumnType.Int32;
        }

        if (type == typeof(long))
        {
            return ExportColumnType.Int64;
        }

        if (type == typeof(double) || type == typeof(float))
        {
            return ExportColumnType.Double;
        }

        if (type == typeof(decimal))
        {
            return ExportColumnType.Decimal;
        }

        if (type == typeof(bool))
        {
            return ExportColumnType.Boolean;
        }

        if (type == typeof(DateOnly))
        {
            return ExportColumnType.Date;
        }

        if (type == typeof(DateTime))
        {
            return ExportColumnType.Timestamp;
        }

        return type == typeof(Guid) ? ExportColumnType.Guid : null;
    }
}

/// <summary>A column slot of one value type; the setter is a static lambda, so nothing is boxed or allocated per value.</summary>
internal sealed class ParquetColumnSlot<T>(DataField field, Action<RowBatch, int, int, T> set) : ParquetColumnSlot
    where T : struct
{
    private T[] _values = [];
    private int[] _levels = [];
    private int _row;
    private int _value;

    public override async ValueTask ReadAsync(ParquetRowGroupReader rowGroup, int rows, CancellationToken cancellationToken)
    {
        if (_values.Length < rows)
        {
            _values = new T[rows];
            _levels = new int[rows];
        }

        Memory<int>? levels = field.MaxDefinitionLevel > 0 ? _levels.AsMemory(0, rows) : null;
        await rowGroup.ReadRawAsync(field, _values.AsMemory(0, rows), levels, null, cancellationToken).ConfigureAwait(false);
        if (field.MaxDefinitionLevel == 0)
        {
            _levels.AsSpan(0, rows).Fill(1);
        }

        _row = 0;
        _value = 0;
    }

    public override void CopyNext(RowBatch batch, int row, int column)
    {
        if (_levels[_row++] == 0)
        {
            return;
        }

        set(batch, row, column, _values[_value++]);
    }
}
