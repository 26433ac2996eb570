using global::Parquet;
using global::Parquet.Schema;

namespace Exports.Sdk.Formats.Parquet;

/// <summary>
/// The values of one column for the row group being built: a dense array of the non-null values in the type Parquet.Net
/// writes (no boxing) and one definition level per row (0 null, 1 present). Arrays grow up to the row-group size and are
/// reused for every row group of the file.
/// </summary>
internal sealed class ParquetColumnBuffer
{
    private const int InitialCapacity = 4096;

    private readonly OutputColumn _column;
    private readonly int _maxRows;
    private readonly decimal _decimalLimit;
    private readonly int _decimalScale;
    private readonly string _exportName;
    private int[] _levels = [];
    private ReadOnlyMemory<char>[]? _strings;
    private int[]? _ints;
    private long[]? _longs;
    private double[]? _doubles;
    private decimal[]? _decimals;
    private bool[]? _booleans;
    private DateOnly[]? _dates;
    private DateTime[]? _timestamps;
    private Guid[]? _guids;
    private int _rows;
    private int _values;

    public ParquetColumnBuffer(OutputColumn column, DataField field, ParquetFormatOptions options, string exportName)
    {
        _column = column;
        Field = field;
        _maxRows = options.RowGroupRows;
        _decimalScale = options.DecimalScale;
        var integerDigits = options.DecimalPrecision - options.DecimalScale;
        // 10^29 exceeds every .NET decimal: no limit needed then.
        _decimalLimit = integerDigits >= 29 ? decimal.MaxValue : Pow10(integerDigits);
        _exportName = exportName;
    }

    public DataField Field { get; }

    /// <summary>
    /// Adds the selected rows of a batch; returns the memory they take while buffered: a definition level and a value
    /// slot per row, plus the UTF-16 text of strings (kept alive until the row group is written).
    /// </summary>
    public long Append(RowBatch batch, ReadOnlySpan<int> rows)
    {
        EnsureCapacity(_rows + rows.Length);
        var ordinal = _column.Ordinal;
        var levels = _levels;
        long bytes = 0;
        switch (_column.Type)
        {
            case ExportColumnType.String:
                foreach (var row in rows)
                {
                    if (batch.GetString(row, ordinal) is { } text)
                    {
                        _strings![_values++] = text.AsMemory();
                        levels[_rows++] = 1;
                        bytes += 2L * text.Length;
                    }
                    else
                    {
                        levels[_rows++] = 0;
                    }
                }

                return bytes + (rows.Length * 20L);
            case ExportColumnType.Int32:
                return Fill(batch, rows, _ints!, static (b, r, c) => b.GetInt32(r, c), 8);
            case ExportColumnType.Int64:
                return Fill(batch, rows, _longs!, static (b, r, c) => b.GetInt64(r, c), 12);
            case ExportColumnType.Double:
                return Fill(batch, rows, _doubles!, static (b, r, c) => b.GetDouble(r, c), 12);
            case ExportColumnType.Boolean:
                return Fill(batch, rows, _booleans!, static (b, r, c) => b.GetBoolean(r, c), 5);
            case ExportColumnType.Date:
                return Fill(batch, rows, _dates!, static (b, r, c) => b.GetDate(r, c), 8);
            case ExportColumnType.Timestamp:
                return Fill(batch, rows, _timestamps!, static (b, r, c) => new DateTime(b.GetTimestampTicks(r, c), DateTimeKind.Utc), 12);
            case ExportColumnType.Guid:
                return Fill(batch, rows, _guids!, static (b, r, c) => b.GetGuid(r, c), 20);
            case ExportColumnType.Decimal:
                foreach (var row in rows)
                {
                    if (batch.IsNull(row, ordinal))
                    {
                        levels[_rows++] = 0;
                        continue;
                    }

                    _decimals![_values++] = Fit(batch.GetDecimal(row, ordinal));
                    levels[_rows++] = 1;
                }

                return rows.Length * 20L;
            default:
                throw new ExportException($"{_exportName}: column '{_column.Name}' has the type {_column.Type}, which Parquet export does not support.");
        }
    }

    /// <summary>Writes the buffered values as this column's chunk of a row group, then empties the buffer.</summary>
    public async Task WriteAsync(ParquetRowGroupWriter rowGroup, CancellationToken cancellationToken)
    {
        ReadOnlyMemory<int> levels = _levels.AsMemory(0, _rows);
        var task = _column.Type switch
        {
            ExportColumnType.String => rowGroup.WriteAllPartsAsync(Field, (ReadOnlyMemory<ReadOnlyMemory<char>>)_strings.AsMemory(0, _values), levels, null, cancellationToken),
            ExportColumnType.Int32 => rowGroup.WriteAllPartsAsync(Field, (ReadOnlyMemory<int>)_ints.AsMemory(0, _values), levels, null, cancellationToken),
            ExportColumnType.Int64 => rowGroup.WriteAllPartsAsync(Field, (ReadOnlyMemory<long>)_longs.AsMemory(0, _values), levels, null, cancellationToken),
            ExportColumnType.Double => rowGroup.WriteAllPartsAsync(Field, (ReadOnlyMemory<double>)_doubles.AsMemory(0, _values), levels, null, cancellationToken),
            ExportColumnType.Decimal => rowGroup.WriteAllPartsAsync(Field, (ReadOnlyMemory<decimal>)_decimals.AsMemory(0, _values), levels, null, cancellationToken),
            ExportColumnType.Boolean => rowGroup.WriteAllPartsAsync(Field, (ReadOnlyMemory<bool>)_booleans.AsMemory(0, _values), levels, null, cancellationToken),
            ExportColumnType.Date => rowGroup.WriteAllPartsAsync(Field, (ReadOnlyMemory<DateOnly>)_dates.AsMemory(0, _values), levels, null, cancellationToken),
            ExportColumnType.Timestamp => rowGroup.WriteAllPartsAsync(Field, (ReadOnlyMemory<DateTime>)_timestamps.AsMemory(0, _values), levels, null, cancellationToken),
            _ => rowGroup.WriteAllPartsAsync(Field, (ReadOnlyMemory<Guid>)_guids.AsMemory(0, _values), levels, null, cancellationToken),
        };
        await task.ConfigureAwait(false);
        Reset();
    }

    /// <summary>Forgets the buffered rows; string references are dropped so the source's strings can be collected.</summary>
    public void Reset()
    {
        if (_strings is not null)
        {
            Array.Clear(_strings, 0, _values);
        }

        _rows = 0;
        _values = 0;
    }

    private long Fill<T>(RowBatch batch, ReadOnlySpan<int> rows, T[] values, Func<RowBatch, int, int, T> get, int size)
    {
        var ordinal = _column.Ordinal;
        var levels = _levels;
        var count = _values;
        var r = _rows;
        foreach (var row in rows)
        {
            if (batch.IsNull(row, ordinal))
            {
                levels[r++] = 0;
                continue;
            }

            values[count++] = get(batch, row, ordinal);
            levels[r++] = 1;
        }

        _values = count;
        _rows = r;
        return (long)rows.Length * size;
    }

    private decimal Fit(decimal value)
    {
        if (value.Scale > _decimalScale)
        {
            value = Math.Round(value, _decimalScale, MidpointRounding.AwayFromZero);
        }

        if (Math.Abs(value) >= _decimalLimit)
        {
            throw new ExportException(
                $"{_exportName}: column '{_column.Name}' has the value {value.ToString(System.Globalization.CultureInfo.InvariantCulture)}, which does not fit the Parquet type " +
                $"decimal({(Field is DecimalDataField d ? d.Precision : 0)},{_decimalScale}); raise Format.Settings.{ParquetFormatOptions.DecimalPrecisionKey} " +
                $"or lower Format.Settings.{ParquetFormatOptions.DecimalScaleKey}.");
        }

        return value;
    }

    private void EnsureCapacity(int rows)
    {
        if (rows <= _levels.Length)
        {
            return;
        }

        // Grow by doubling, never past the row-group size: that bounds the memory of a column.
        var capacity = Math.Min(Math.Max(Math.Max(_levels.Length * 2, InitialCapacity), rows), Math.Max(_maxRows, rows));
        Array.Resize(ref _levels, capacity);
        switch (_column.Type)
        {
            case ExportColumnType.String: Array.Resize(ref _strings, capacity); break;
            case ExportColumnType.Int32: Array.Resize(ref _ints, capacity); break;
            case ExportColumnType.Int64: Array.Resize(ref _longs, capacity); break;
            case ExportColumnType.Double: Array.Resize(ref _doubles, capacity); break;
            case ExportColumnType.Decimal: Array.Resize(ref _decimals, capacity); break;
            case ExportColumnType.Boolean: Array.Resize(ref _booleans, capacity); break;
            case ExportColumnType.Date: Array.Resize(ref _dates, capacity); break;
            case ExportColumnType.Timestamp: Array.Resize(ref _timestamps, capacity); break;
            case ExportColumnType.Guid: Array.Resize(ref _guids, capacity); break;
        }
    }

    private static decimal Pow10(int digits)
    {
        var result = 1m;
        for (var i = 0; i < digits; i++)
        {
            result *= 10;
        }

        return result;
    }
}
