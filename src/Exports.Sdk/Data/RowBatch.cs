using System.Runtime.CompilerServices;

namespace Exports.Sdk;

/// <summary>
/// A reusable, column-oriented batch of rows with typed, unboxed storage. Sources fill batches and yield them;
/// the export pipeline reads them before asking for the next one, so a source may clear and refill the same
/// batch instead of allocating a new one.
/// </summary>
/// <remarks>
/// A value that is never set for a row reads as null. Setting or getting a value with the wrong type for its
/// column throws <see cref="InvalidOperationException"/> naming the column.
/// </remarks>
public sealed class RowBatch
{
    /// <summary>The default number of rows a batch holds, and the batch size the engine asks sources for.</summary>
    /// <remarks>A batch of this size is one formatting step of the text formats, which split a step over the cores.</remarks>
    // Every step pays the same hand-offs between cores whatever its length: 8,192 rows wrote CSV ~15 % faster on two
    // cores than 4,096 (with the pipeline of the time), and longer steps were not reliably faster (docs/performance/log.md).
    public const int DefaultCapacity = 8192;

    private readonly ColumnVector[] _columns;

    /// <summary>Creates an empty batch.</summary>
    /// <param name="schema">The columns of the batch.</param>
    /// <param name="capacity">How many rows it can hold; default <see cref="DefaultCapacity"/>.</param>
    public RowBatch(ExportSchema schema, int capacity = DefaultCapacity)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Schema = schema;
        Capacity = capacity;
        _columns = new ColumnVector[schema.Count];
        for (var i = 0; i < _columns.Length; i++)
        {
            _columns[i] = new ColumnVector(schema[i].Type, capacity);
        }
    }

    /// <summary>The columns of the batch.</summary>
    public ExportSchema Schema { get; }

    /// <summary>The maximum number of rows.</summary>
    public int Capacity { get; }

    /// <summary>The number of rows added since the last <see cref="Clear"/>.</summary>
    public int Count { get; private set; }

    /// <summary>Whether the batch holds <see cref="Capacity"/> rows.</summary>
    public bool IsFull => Count == Capacity;

    /// <summary>Removes all rows; the storage is kept for reuse.</summary>
    public void Clear()
    {
        // Only references need clearing, so that the batch does not keep strings alive.
        foreach (var column in _columns)
        {
            if (column.Strings is { } strings)
            {
                Array.Clear(strings, 0, Count);
                column.Utf8?.Clear();
            }
        }

        Count = 0;
    }

    /// <summary>Appends a row whose values are all null and returns its index.</summary>
    /// <returns>The index of the new row, to pass to the setters.</returns>
    /// <exception cref="InvalidOperationException">The batch is full.</exception>
    public int AddRow()
    {
        if (Count == Capacity)
        {
            throw new InvalidOperationException($"The batch is full ({Capacity} rows).");
        }

        var row = Count++;
        foreach (var column in _columns)
        {
            column.Nulls[row] = true;
        }

        return row;
    }

    /// <summary>Whether the value at a row and column is null.</summary>
    /// <param name="row">Row index.</param>
    /// <param name="column">Column ordinal.</param>
    /// <returns><see langword="true"/> when the value is null.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsNull(int row, int column) => _columns[column].Nulls[row];

    /// <summary>Sets a value to null.</summary>
    /// <param name="row">Row index.</param>
    /// <param name="column">Column ordinal.</param>
    public void SetNull(int row, int column)
    {
        var vector = _columns[column];
        vector.Nulls[row] = true;
        if (vector.Strings is { } strings)
        {
            strings[row] = null;
        }
    }

    /// <summary>Sets a <see cref="ExportColumnType.String"/> value; <see langword="null"/> sets null.</summary>
    /// <param name="row">Row index.</param>
    /// <param name="column">Column ordinal.</param>
    /// <param name="value">The value.</param>
    public void SetString(int row, int column, string? value)
    {
        var vector = _columns[column];
        (vector.Strings ?? ThrowType<string?[]>(column, ExportColumnType.String))[row] = value;
        vector.Nulls[row] = value is null;
    }

    /// <summary>
    /// Sets a <see cref="ExportColumnType.String"/> value from its UTF-8 bytes, which are copied: no string is created,
    /// and CSV, JSON Lines and Parquet write the bytes as they are. For sources that read text as bytes (a database driver's
    /// buffer), so that a column whose values do not repeat costs no allocation per row.
    /// </summary>
    /// <param name="row">Row index.</param>
    /// <param name="column">Column ordinal.</param>
    /// <param name="value">The value's UTF-8 bytes (without a byte order mark).</param>
    /// <exception cref="ArgumentException"><paramref name="value"/> is not valid UTF-8.</exception>
    public void SetUtf8String(int row, int column, ReadOnlySpan<byte> value)
    {
        var vector = _columns[column];
        var strings = vector.Strings ?? ThrowType<string?[]>(column, ExportColumnType.String);
        if (!System.Text.Unicode.Utf8.IsValid(value))
        {
            throw new ArgumentException($"The value for column '{Schema[column].Name}' is not valid UTF-8.", nameof(value));
        }

        (vector.Utf8 ??= new Utf8TextStore(Capacity)).Set(row, value);
        strings[row] = null;
        vector.Nulls[row] = false;
    }

    /// <summary>Sets an <see cref="ExportColumnType.Int32"/> value.</summary>
    /// <param name="row">Row index.</param>
    /// <param name="column">Column ordinal.</param>
    /// <param name="value">The value.</param>
    public void SetInt32(int row, int column, int value)
    {
        var vector = _columns[column];
        (vector.Int32s ?? ThrowType<int[]>(column, ExportColumnType.Int32))[row] = value;
        vector.Nulls[row] = false;
    }

    /// <summary>Sets an <see cref="ExportColumnType.Int64"/> value.</summary>
    /// <param name="row">Row index.</param>
    /// <param name="column">Column ordinal.</param>
    /// <param name="value">The value.</param>
    public void SetInt64(int row, int column, long value)
    {
        var vector = _columns[column];
        (vector.Int64s ?? ThrowType<long[]>(column, ExportColumnType.Int64))[row] = value;
        vector.Nulls[row] = false;
    }

    /// <summary>Sets a <see cref="ExportColumnType.Double"/> value.</summary>
    /// <param name="row">Row index.</param>
    /// <param name="column">Column ordinal.</param>
    /// <param name="value">The value.</param>
    public void SetDouble(int row, int column, double value)
    {
        var vector = _columns[column];
        (vector.Doubles ?? ThrowType<double[]>(column, ExportColumnType.Double))[row] = value;
        vector.Nulls[row] = false;
    }

    /// <summary>Sets a <see cref="ExportColumnType.Decimal"/> value.</summary>
    /// <param name="row">Row index.</param>
    /// <param name="column">Column ordinal.</param>
    /// <param name="value">The value.</param>
    public void SetDecimal(int row, int column, decimal value)
    {
        var vector = _columns[column];
        (vector.Decimals ?? ThrowType<decimal[]>(column, ExportColumnType.Decimal))[row] = value;
        vector.Nulls[row] = false;
    }

    /// <summary>Sets a <see cref="ExportColumnType.Boolean"/> value.</summary>
    /// <param name="row">Row index.</param>
    /// <param name="column">Column ordinal.</param>
    /// <param name="value">The value.</param>
    public void SetBoolean(int row, int column, bool value)
    {
        var vector = _columns[column];
        (vector.Booleans ?? ThrowType<bool[]>(column, ExportColumnType.Boolean))[row] = value;
        vector.Nulls[row] = false;
    }

    /// <summary>Sets a <see cref="ExportColumnType.Date"/> value.</summary>
    /// <param name="row">Row index.</param>
    /// <param name="column">Column ordinal.</param>
    /// <param name="value">The value.</param>
    public void SetDate(int row, int column, DateOnly value)
    {
        var vector = _columns[column];
        (vector.Dates ?? ThrowType<DateOnly[]>(column, ExportColumnType.Date))[row] = value;
        vector.Nulls[row] = false;
    }

    /// <summary>Sets a <see cref="ExportColumnType.Timestamp"/> value; it is stored as UTC.</summary>
    /// <param name="row">Row index.</param>
    /// <param name="column">Column ordinal.</param>
    /// <param name="value">The value.</param>
    public void SetTimestamp(int row, int column, DateTimeOffset value)
    {
        var vector = _columns[column];
        (vector.Timestamps ?? ThrowType<long[]>(column, ExportColumnType.Timestamp))[row] = value.UtcTicks;
        vector.Nulls[row] = false;
    }

    /// <summary>Sets a <see cref="ExportColumnType.Guid"/> value.</summary>
    /// <param name="row">Row index.</param>
    /// <param name="column">Column ordinal.</param>
    /// <param name="value">The value.</param>
    public void SetGuid(int row, int column, Guid value)
    {
        var vector = _columns[column];
        (vector.Guids ?? ThrowType<Guid[]>(column, ExportColumnType.Guid))[row] = value;
        vector.Nulls[row] = false;
    }

    /// <summary>
    /// Sets a value of any supported CLR type, converting it to the column's type. Convenient for sources that
    /// read untyped data; it boxes, so hot paths use the typed setters.
    /// </summary>
    /// <param name="row">Row index.</param>
    /// <param name="column">Column ordinal.</param>
    /// <param name="value">The value; <see langword="null"/> or <see cref="DBNull"/> sets null.</param>
    /// <exception cref="InvalidOperationException">The value cannot be converted to the column's type.</exception>
    public void SetValue(int row, int column, object? value)
    {
        if (value is null or DBNull)
        {
            SetNull(row, column);
            return;
        }

        var type = _columns[column].Type;
        try
        {
            switch (type)
            {
                case ExportColumnType.String: SetString(row, column, value as string ?? Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)); break;
                case ExportColumnType.Int32: SetInt32(row, column, Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture)); break;
                case ExportColumnType.Int64: SetInt64(row, column, Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)); break;
                case ExportColumnType.Double: SetDouble(row, column, Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture)); break;
                case ExportColumnType.Decimal: SetDecimal(row, column, Convert.ToDecimal(value, System.Globalization.CultureInfo.InvariantCulture)); break;
                case ExportColumnType.Boolean: SetBoolean(row, column, Convert.ToBoolean(value, System.Globalization.CultureInfo.InvariantCulture)); break;
                case ExportColumnType.Date:
                    SetDate(row, column, value switch
                    {
                        DateOnly d => d,
                        DateTime dt => DateOnly.FromDateTime(dt),
                        DateTimeOffset dto => DateOnly.FromDateTime(dto.UtcDateTime),
                        string s => DateOnly.Parse(s, System.Globalization.CultureInfo.InvariantCulture),
                        _ => throw new InvalidCastException(),
                    });
                    break;
                case ExportColumnType.Timestamp:
                    SetTimestamp(row, column, value switch
                    {
                        DateTimeOffset dto => dto,
                        DateTime dt => new DateTimeOffset(dt.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(dt, DateTimeKind.Utc) : dt.ToUniversalTime()),
                        string s => DateTimeOffset.Parse(s, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal),
                        _ => throw new InvalidCastException(),
                    });
                    break;
                case ExportColumnType.Guid: SetGuid(row, column, value is Guid g ? g : Guid.Parse(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!)); break;
                default: throw new InvalidCastException();
            }
        }
        catch (Exception ex) when (ex is InvalidCastException or FormatException or OverflowException)
        {
            throw new InvalidOperationException(
                $"Column '{Schema[column].Name}' is {type}; a value of type {value.GetType().Name} cannot be converted to it.", ex);
        }
    }

    /// <summary>Gets a <see cref="ExportColumnType.String"/> value (null when the value is null).</summary>
    /// <param name="row">Row index.</param>
    /// <param name="column">Column ordinal.</param>
    /// <returns>The value.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public string? GetString(int row, int column)
    {
        var vector = _columns[column];
        return (vector.Strings ?? ThrowType<string?[]>(column, ExportColumnType.String))[row] ?? (vector.Nulls[row] ? null : vector.Utf8!.GetString(row));
    }

    /// <summary>
    /// Gets a <see cref="ExportColumnType.String"/> value's UTF-8 bytes when it was set as bytes
    /// (<see cref="SetUtf8String"/>), without creating a string. A writer that stores UTF-8 uses them as they are and
    /// falls back to <see cref="GetString"/> otherwise.
    /// </summary>
    /// <param name="row">Row index.</param>
    /// <param name="column">Column ordinal.</param>
    /// <param name="utf8">The bytes, valid until the row is set again or the batch is cleared; empty when this returns false.</param>
    /// <returns><see langword="true"/> when the value is not null and was set as UTF-8 bytes.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryGetUtf8String(int row, int column, out ReadOnlySpan<byte> utf8)
    {
        var vector = _columns[column];
        if ((vector.Strings ?? ThrowType<string?[]>(column, ExportColumnType.String))[row] is null && !vector.Nulls[row])
        {
            utf8 = vector.Utf8!.Get(row);
            return true;
        }

        utf8 = default;
        return false;
    }

    /// <summary>Gets an <see cref="ExportColumnType.Int32"/> value.</summary>
    /// <param name="row">Row index.</param>
    /// <param name="column">Column ordinal.</param>
    /// <returns>The value (undefined when <see cref="IsNull"/>).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int GetInt32(int row, int column) => (_columns[column].Int32s ?? ThrowType<int[]>(column, ExportColumnType.Int32))[row];

    /// <summary>Gets an <see cref="ExportColumnType.Int64"/> value.</summary>
    /// <param name="row">Row index.</param>
    /// <param name="column">Column ordinal.</param>
    /// <returns>The value (undefined when <see cref="IsNull"/>).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long GetInt64(int row, int column) => (_columns[column].Int64s ?? ThrowType<long[]>(column, ExportColumnType.Int64))[row];

    /// <summary>Gets a <see cref="ExportColumnType.Double"/> value.</summary>
    /// <param name="row">Row index.</param>
    /// <param name="column">Column ordinal.</param>
    /// <returns>The value (undefined when <see cref="IsNull"/>).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double GetDouble(int row, int column) => (_columns[column].Doubles ?? ThrowType<double[]>(column, ExportColumnType.Double))[row];

    /// <summary>Gets a <see cref="ExportColumnType.Decimal"/> value.</summary>
    /// <param name="row">Row index.</param>
    /// <param name="column">Column ordinal.</param>
    /// <returns>The value (undefined when <see cref="IsNull"/>).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public decimal GetDecimal(int row, int column) => (_columns[column].Decimals ?? ThrowType<decimal[]>(column, ExportColumnType.Decimal))[row];

    /// <summary>Gets a <see cref="ExportColumnType.Boolean"/> value.</summary>
    /// <param name="row">Row index.</param>
    /// <param name="column">Column ordinal.</param>
    /// <returns>The value (undefined when <see cref="IsNull"/>).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool GetBoolean(int row, int column) => (_columns[column].Booleans ?? ThrowType<bool[]>(column, ExportColumnType.Boolean))[row];

    /// <summary>Gets a <see cref="ExportColumnType.Date"/> value.</summary>
    /// <param name="row">Row index.</param>
    /// <param name="column">Column ordinal.</param>
    /// <returns>The value (undefined when <see cref="IsNull"/>).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public DateOnly GetDate(int row, int column) => (_columns[column].Dates ?? ThrowType<DateOnly[]>(column, ExportColumnType.Date))[row];

    /// <summary>Gets a <see cref="ExportColumnType.Timestamp"/> value, in UTC.</summary>
    /// <param name="row">Row index.</param>
    /// <param name="column">Column ordinal.</param>
    /// <returns>The value (undefined when <see cref="IsNull"/>).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public DateTimeOffset GetTimestamp(int row, int column) => new(GetTimestampTicks(row, column), TimeSpan.Zero);

    /// <summary>Gets a <see cref="ExportColumnType.Timestamp"/> value as UTC ticks.</summary>
    /// <param name="row">Row index.</param>
    /// <param name="column">Column ordinal.</param>
    /// <returns>The value (undefined when <see cref="IsNull"/>).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long GetTimestampTicks(int row, int column) => (_columns[column].Timestamps ?? ThrowType<long[]>(column, ExportColumnType.Timestamp))[row];

    /// <summary>Gets a <see cref="ExportColumnType.Guid"/> value.</summary>
    /// <param name="row">Row index.</param>
    /// <param name="column">Column ordinal.</param>
    /// <returns>The value (undefined when <see cref="IsNull"/>).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Guid GetGuid(int row, int column) => (_columns[column].Guids ?? ThrowType<Guid[]>(column, ExportColumnType.Guid))[row];

    /// <summary>Gets any value boxed (null when null). For tests and diagnostics, not hot paths.</summary>
    /// <param name="row">Row index.</param>
    /// <param name="column">Column ordinal.</param>
    /// <returns>The value or null.</returns>
    public object? GetValue(int row, int column)
    {
        if (IsNull(row, column))
        {
            return null;
        }

        return _columns[column].Type switch
        {
            ExportColumnType.String => GetString(row, column),
            ExportColumnType.Int32 => GetInt32(row, column),
            ExportColumnType.Int64 => GetInt64(row, column),
            ExportColumnType.Double => GetDouble(row, column),
            ExportColumnType.Decimal => GetDecimal(row, column),
            ExportColumnType.Boolean => GetBoolean(row, column),
            ExportColumnType.Date => GetDate(row, column),
            ExportColumnType.Timestamp => GetTimestamp(row, column),
            ExportColumnType.Guid => GetGuid(row, column),
            _ => null,
        };
    }

    /// <summary>The column vectors, for format writers inside the SDK that read whole columns.</summary>
    internal ColumnVector GetVector(int column) => _columns[column];

    private T ThrowType<T>(int column, ExportColumnType requested) =>
        throw new InvalidOperationException(
            $"Column '{Schema[column].Name}' is {Schema[column].Type}, not {requested}.");
}
