using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using global::Parquet;
using global::Parquet.Meta;
using global::Parquet.Schema;

namespace Exports.Sdk.Formats.Parquet;

/// <summary>
/// The values of one column for a row group being built: a dense array of the non-null values and one definition level
/// per row (0 null, 1 present), the values already as Parquet stores them: strings as their PLAIN bytes (a length, then
/// UTF-8), dates, timestamps and decimals up to 18 digits as integers (days, microseconds, unscaled values), 16-byte
/// decimals as their stored bytes (see <see cref="ParquetPhysicalKind.Decimal16"/>); the file's footer gives those
/// columns their logical types. Every column but decimals of other widths than 4, 8 and 16 bytes is encoded by the SDK
/// itself (<see cref="WriteChunk"/>): Parquet.Net's string path allocated for every value and compared bounds in UTF-16
/// order, not Parquet's, and its UUID bounds were in a byte order of its own. Arrays grow up to the row-group size and
/// are reused for every row group of the file.
/// </summary>
internal sealed class ParquetColumnBuffer
{
    private const int InitialCapacity = 4096;
    private const int UnixEpochDayNumber = 719_162;
    private const long UnixEpochMicroseconds = 62_135_596_800_000_000;
    private const long MaxTextBytes = 1L << 30;

    /// <summary>10^0 to 10^38.</summary>
    private static readonly UInt128[] WidePowersOf10 = [.. Enumerable.Range(0, 39).Select(e => Enumerable.Repeat((UInt128)10, e).Aggregate((UInt128)1, (a, b) => a * b))];

    private readonly OutputColumn _column;
    private readonly ParquetPhysicalKind _kind;
    private readonly int _maxRows;
    /// <summary>10^(integer digits), or null when every .NET decimal fits (29 integer digits or more).</summary>
    private readonly decimal? _decimalLimit;
    private readonly int _decimalScale;
    private readonly int _decimalPrecision;
    private readonly string _exportName;
    private int[] _levels = [];
    /// <summary>The present string values, PLAIN-encoded: each a 4-byte little-endian length, then its UTF-8 bytes.</summary>
    private byte[] _plain = [];
    private int _plainLength;
    /// <summary>Booleans packed or UUIDs in their stored byte order, while a chunk is written.</summary>
    private byte[] _scratch = [];
    private int[]? _ints;
    private long[]? _longs;
    private double[]? _doubles;
    private decimal[]? _decimals;
    private bool[]? _booleans;
    private Guid[]? _guids;
    private int _rows;
    private int _values;

    public ParquetColumnBuffer(OutputColumn column, DataField field, ParquetPhysicalKind kind, ParquetFormatOptions options, string exportName)
    {
        _column = column;
        Field = field;
        _kind = kind;
        _maxRows = options.RowGroupRows;
        _decimalScale = options.DecimalScale;
        _decimalPrecision = options.DecimalPrecision;
        var integerDigits = options.DecimalPrecision - options.DecimalScale;
        // 10^29 exceeds every .NET decimal: no limit needed then.
        _decimalLimit = integerDigits >= 29 ? null : Pow10(integerDigits);
        _exportName = exportName;
    }

    /// <summary>The field Parquet.Net writes the values through, for a column it encodes.</summary>
    public DataField Field { get; }

    /// <summary>Whether the SDK encodes this column's chunks itself (<see cref="WriteChunk"/>) rather than Parquet.Net.</summary>
    public bool EncodedBySdk => _kind != ParquetPhysicalKind.Decimal;

    /// <summary>
    /// Adds the selected rows of a batch; returns the memory they take while buffered: a definition level and a value
    /// slot per row, or for strings their PLAIN bytes.
    /// </summary>
    public long Append(RowBatch batch, ReadOnlySpan<int> rows)
    {
        EnsureCapacity(_rows + rows.Length);
        var ordinal = _column.Ordinal;
        switch (_column.Type)
        {
            case ExportColumnType.String:
                return AppendStrings(batch, rows);
            case ExportColumnType.Int32:
                return Fill(batch, rows, _ints!, static (b, r, c) => b.GetInt32(r, c), 8);
            case ExportColumnType.Int64:
                return Fill(batch, rows, _longs!, static (b, r, c) => b.GetInt64(r, c), 12);
            case ExportColumnType.Double:
                return Fill(batch, rows, _doubles!, static (b, r, c) => b.GetDouble(r, c), 12);
            case ExportColumnType.Boolean:
                return Fill(batch, rows, _booleans!, static (b, r, c) => b.GetBoolean(r, c), 5);
            case ExportColumnType.Date:
                return Fill(batch, rows, _ints!, static (b, r, c) => b.GetDate(r, c).DayNumber - UnixEpochDayNumber, 8);
            case ExportColumnType.Timestamp:
                // Whole microseconds, rounded down, as Parquet.Net converts them.
                return Fill(batch, rows, _longs!, static (b, r, c) => (b.GetTimestampTicks(r, c) / 10) - UnixEpochMicroseconds, 12);
            case ExportColumnType.Guid:
                return Fill(batch, rows, _guids!, static (b, r, c) => b.GetGuid(r, c), 20);
            case ExportColumnType.Decimal:
                AppendDecimals(batch, rows);
                return rows.Length * 20L;
            default:
                throw new ExportException($"{_exportName}: column '{_column.Name}' has the type {_column.Type}, which Parquet export does not support.");
        }
    }

    /// <summary>Writes the buffered values as this column's chunk of a row group, through Parquet.Net (decimals of other widths).</summary>
    public Task WriteAsync(ParquetRowGroupWriter rowGroup, CancellationToken cancellationToken) => _kind == ParquetPhysicalKind.Decimal
        ? rowGroup.WriteAllPartsAsync(Field, (ReadOnlyMemory<decimal>)_decimals.AsMemory(0, _values), _levels.AsMemory(0, _rows), null, cancellationToken)
        : throw new InvalidOperationException($"Column '{_column.Name}' is encoded by the SDK (WriteChunk).");

    /// <summary>
    /// Writes the buffered values as this column's chunk, PLAIN-encoded (strings whose values repeat as a dictionary and
    /// indices into it, see <see cref="StringDictionary"/>), with bounds in Parquet's order for the type:
    /// integers and doubles as signed numbers (a zero bound as -0.0 or +0.0 as the format asks; none with NaN), strings
    /// and UUIDs as unsigned bytes, 16-byte decimals as signed numbers. The deprecated bounds, which older readers know
    /// only, are defined by signed comparison: they are set for numbers and decimals alone, as parquet-mr sets them.
    /// Booleans get a null count only, as Parquet.Net writes them.
    /// </summary>
    public ColumnChunk WriteChunk(MemoryStream output, ParquetPageWriter pages)
    {
        byte[]? min = null, max = null;
        ReadOnlySpan<byte> values;
        global::Parquet.Meta.Type type;
        switch (_kind)
        {
            case ParquetPhysicalKind.String:
                type = global::Parquet.Meta.Type.BYTE_ARRAY;
                values = _plain.AsSpan(0, _plainLength);
                if (_values > 0 && pages.Dictionary.TryBuild(values, _values))
                {
                    // Repeating text: the distinct values once, then an index a value.
                    var entries = pages.Dictionary.Entries(values, Scratch(pages.Dictionary.Bytes));
                    (min, max) = StringBounds(entries);
                    return pages.WriteDictionary(output, _column.Name, _levels.AsSpan(0, _rows), entries, pages.Dictionary.Count, pages.Dictionary.Indices(_values), Statistics(min, max, signed: false));
                }

                if (_values > 0)
                {
                    (min, max) = StringBounds(values);
                }

                break;
            case ParquetPhysicalKind.Int32:
                type = global::Parquet.Meta.Type.INT32;
                values = MemoryMarshal.AsBytes(_ints.AsSpan(0, _values));
                (min, max) = NumberBounds(_ints.AsSpan(0, _values));
                break;
            case ParquetPhysicalKind.Int64:
                type = global::Parquet.Meta.Type.INT64;
                values = MemoryMarshal.AsBytes(_longs.AsSpan(0, _values));
                (min, max) = NumberBounds(_longs.AsSpan(0, _values));
                break;
            case ParquetPhysicalKind.Double:
                type = global::Parquet.Meta.Type.DOUBLE;
                values = MemoryMarshal.AsBytes(_doubles.AsSpan(0, _values));
                (min, max) = DoubleBounds(_doubles.AsSpan(0, _values));
                break;
            case ParquetPhysicalKind.Boolean:
                type = global::Parquet.Meta.Type.BOOLEAN;
                values = PackBits(_booleans.AsSpan(0, _values));
                break;
            default:
                // UUIDs, and 16-byte decimals held as UUIDs of the same bytes.
                type = global::Parquet.Meta.Type.FIXED_LEN_BYTE_ARRAY;
                values = BigEndianBytes(_guids.AsSpan(0, _values));
                if (_values > 0)
                {
                    (min, max) = Bounds16(values, signed: _kind == ParquetPhysicalKind.Decimal16);
                }

                break;
        }

        var signed = type is global::Parquet.Meta.Type.INT32 or global::Parquet.Meta.Type.INT64 or global::Parquet.Meta.Type.DOUBLE || _kind == ParquetPhysicalKind.Decimal16;
        return pages.Write(output, _column.Name, type, _levels.AsSpan(0, _rows), values, Statistics(min, max, signed));
    }

    private Statistics Statistics(byte[]? min, byte[]? max, bool signed)
    {
        var statistics = new Statistics { NullCount = _rows - _values, MinValue = min, MaxValue = max, Min = signed ? min : null, Max = signed ? max : null };
        if (_kind == ParquetPhysicalKind.Decimal16 && min is not null)
        {
            statistics.IsMinValueExact = statistics.IsMaxValueExact = true;
        }

        return statistics;
    }

    /// <summary>Forgets the buffered rows; the arrays are kept for the next row group.</summary>
    public void Reset()
    {
        _plainLength = 0;
        _rows = 0;
        _values = 0;
    }

    /// <summary>The smallest and largest of 16-byte values as stored (big-endian, one after another), unsigned or as signed numbers.</summary>
    private static (byte[] Min, byte[] Max) Bounds16(ReadOnlySpan<byte> stored, bool signed)
    {
        // Flipping the sign bit puts two's complement values in unsigned order.
        var flip = signed ? UInt128.One << 127 : UInt128.Zero;
        var min = UInt128.MaxValue;
        var max = UInt128.MinValue;
        for (var offset = 0; offset < stored.Length; offset += 16)
        {
            var key = BinaryPrimitives.ReadUInt128BigEndian(stored[offset..]) ^ flip;
            min = UInt128.Min(min, key);
            max = UInt128.Max(max, key);
        }

        var minBytes = new byte[16];
        var maxBytes = new byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(minBytes, min ^ flip);
        BinaryPrimitives.WriteUInt128BigEndian(maxBytes, max ^ flip);
        return (minBytes, maxBytes);
    }

    /// <summary>The smallest and largest of PLAIN-encoded strings, by their UTF-8 bytes compared unsigned.</summary>
    private static (byte[] Min, byte[] Max) StringBounds(ReadOnlySpan<byte> plain)
    {
        var length = BinaryPrimitives.ReadInt32LittleEndian(plain);
        ReadOnlySpan<byte> low = plain.Slice(4, length), high = low;
        for (var offset = 4 + length; offset < plain.Length; offset += 4 + length)
        {
            length = BinaryPrimitives.ReadInt32LittleEndian(plain[offset..]);
            var value = plain.Slice(offset + 4, length);
            if (value.SequenceCompareTo(low) < 0)
            {
                low = value;
            }
            else if (value.SequenceCompareTo(high) > 0)
            {
                high = value;
            }
        }

        return (low.ToArray(), high.ToArray());
    }

    /// <summary>The smallest and largest numbers, as their PLAIN (little-endian) bytes; none when there are none.</summary>
    private static (byte[]? Min, byte[]? Max) NumberBounds<T>(ReadOnlySpan<T> values)
        where T : unmanaged, INumber<T>
    {
        if (values.IsEmpty)
        {
            return (null, null);
        }

        T low = values[0], high = values[0];
        foreach (var value in values)
        {
            low = T.Min(low, value);
            high = T.Max(high, value);
        }

        return (Plain(low), Plain(high));
    }

    private static byte[] Plain<T>(T value)
        where T : unmanaged => MemoryMarshal.AsBytes(new ReadOnlySpan<T>(in value)).ToArray();

    /// <summary>
    /// Bounds of doubles, a zero bound as -0.0 for a minimum and +0.0 for a maximum, as Parquet asks. None when a value is
    /// NaN: Parquet leaves NaN out of bounds, but DuckDB orders it above every number and would skip the chunk by them.
    /// </summary>
    private static (byte[]? Min, byte[]? Max) DoubleBounds(ReadOnlySpan<double> values)
    {
        if (values.IsEmpty)
        {
            return (null, null);
        }

        double low = values[0], high = values[0];
        foreach (var value in values)
        {
            if (double.IsNaN(value))
            {
                return (null, null);
            }

            low = Math.Min(low, value);
            high = Math.Max(high, value);
        }

        return (Plain(low == 0 ? -0.0 : low), Plain(high == 0 ? 0.0 : high));
    }

    /// <summary>Booleans packed eight to a byte, the first in the lowest bit: their PLAIN encoding.</summary>
    private ReadOnlySpan<byte> PackBits(ReadOnlySpan<bool> values)
    {
        var packed = Scratch((values.Length + 7) / 8);
        packed.Clear();
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i])
            {
                packed[i >> 3] |= (byte)(1 << (i & 7));
            }
        }

        return packed;
    }

    /// <summary>16-byte values as stored: a UUID's RFC 4122 bytes, or the decimal bytes a <see cref="ParquetPhysicalKind.Decimal16"/> UUID holds.</summary>
    private ReadOnlySpan<byte> BigEndianBytes(ReadOnlySpan<Guid> values)
    {
        var bytes = Scratch(values.Length * 16);
        for (var i = 0; i < values.Length; i++)
        {
            values[i].TryWriteBytes(bytes.Slice(i * 16, 16), bigEndian: true, out _);
        }

        return bytes;
    }

    private Span<byte> Scratch(int length)
    {
        if (_scratch.Length < length)
        {
            _scratch = new byte[Math.Max(length, _scratch.Length * 2)];
        }

        return _scratch.AsSpan(0, length);
    }

    /// <summary>
    /// Appends the strings as their PLAIN bytes: a source's UTF-8 as it is, or a string's text transcoded (lone
    /// surrogates become U+FFFD, as Parquet.Net wrote them). Copying, rather than holding the source's strings, keeps
    /// them from outliving the young generation while the row group fills, so memory stays flat however long the export.
    /// </summary>
    private long AppendStrings(RowBatch batch, ReadOnlySpan<int> rows)
    {
        var ordinal = _column.Ordinal;
        var before = _plainLength;
        foreach (var row in rows)
        {
            if (batch.IsNull(row, ordinal))
            {
                _levels[_rows++] = 0;
                continue;
            }

            int length;
            if (batch.TryGetUtf8String(row, ordinal, out var utf8))
            {
                utf8.CopyTo(Reserve(4L + utf8.Length)[4..]);
                length = utf8.Length;
            }
            else
            {
                var text = batch.GetString(row, ordinal)!;
                System.Text.Unicode.Utf8.FromUtf16(text, Reserve(4L + (3L * text.Length))[4..], out _, out length);
            }

            BinaryPrimitives.WriteInt32LittleEndian(_plain.AsSpan(_plainLength), length);
            _plainLength += 4 + length;
            _values++;
            _levels[_rows++] = 1;
        }

        return _plainLength - before + (rows.Length * 4L);
    }

    /// <summary>Room for <paramref name="length"/> more bytes of PLAIN values, from the end of those held.</summary>
    private Span<byte> Reserve(long length)
    {
        if (_plain.Length - _plainLength < length)
        {
            // A page, its levels and its compressed copy must each stay within an array (and an int): 1 GiB leaves room.
            if (_plainLength + length > MaxTextBytes)
            {
                throw new ExportException(
                    $"{_exportName}: column '{_column.Name}' holds over 1 GiB of text in one row group, more than one Parquet page can; " +
                    $"lower Format.Settings.{ParquetFormatOptions.RowGroupBytesKey}.");
            }

            // Kept for the next row groups: it grows to about the row-group size, which bounds it.
            Array.Resize(ref _plain, (int)Math.Min(MaxTextBytes, Math.Max(Math.Max(_plain.Length * 2L, 64 * 1024), _plainLength + length)));
        }

        return _plain.AsSpan(_plainLength, (int)length);
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

    private void AppendDecimals(RowBatch batch, ReadOnlySpan<int> rows)
    {
        var ordinal = _column.Ordinal;
        Span<int> bits = stackalloc int[4];
        foreach (var row in rows)
        {
            if (batch.IsNull(row, ordinal))
            {
                _levels[_rows++] = 0;
                continue;
            }

            var value = Fit(batch.GetDecimal(row, ordinal));
            _levels[_rows++] = 1;
            if (_kind == ParquetPhysicalKind.Decimal)
            {
                _decimals![_values++] = value;
                continue;
            }

            if (_kind == ParquetPhysicalKind.Decimal16)
            {
                _guids![_values++] = ToDecimal16(value, bits);
                continue;
            }

            // Fit rounded the value to at most the column's scale and checked its digits, so the unscaled value has at
            // most 18 digits and fits 64 bits: no decimal arithmetic is needed to get it.
            decimal.GetBits(value, bits);
            var mantissa = (long)(((ulong)(uint)bits[1] << 32) | (uint)bits[0]);
            var unscaled = mantissa * PowersOf10[_decimalScale - ((bits[3] >> 16) & 0xFF)];
            if (bits[3] < 0)
            {
                unscaled = -unscaled;
            }

            if (_kind == ParquetPhysicalKind.Int32)
            {
                _ints![_values++] = (int)unscaled;
            }
            else
            {
                _longs![_values++] = unscaled;
            }
        }
    }

    /// <summary>
    /// The 16 bytes Parquet stores for a decimal fitted to the column (big-endian two's complement of the value at the
    /// column's scale), as the UUID whose big-endian bytes are exactly those.
    /// </summary>
    private Guid ToDecimal16(decimal value, Span<int> bits)
    {
        decimal.GetBits(value, bits);
        var mantissa = new UInt128((uint)bits[2], ((ulong)(uint)bits[1] << 32) | (uint)bits[0]);
        // Fit checked the digits, so the unscaled value stays below 10^38 and fits 127 bits.
        var unscaled = (Int128)(mantissa * WidePowersOf10[_decimalScale - ((bits[3] >> 16) & 0xFF)]);
        if (bits[3] < 0)
        {
            unscaled = -unscaled;
        }

        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteInt128BigEndian(bytes, unscaled);
        return new Guid(bytes, bigEndian: true);
    }

    private static ReadOnlySpan<long> PowersOf10 =>
    [
        1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000, 10_000_000_000,
        100_000_000_000, 1_000_000_000_000, 10_000_000_000_000, 100_000_000_000_000, 1_000_000_000_000_000,
        10_000_000_000_000_000, 100_000_000_000_000_000, 1_000_000_000_000_000_000,
    ];

    private decimal Fit(decimal value)
    {
        if (value.Scale > _decimalScale)
        {
            value = Math.Round(value, _decimalScale, MidpointRounding.AwayFromZero);
        }

        if (_decimalLimit is { } limit && Math.Abs(value) >= limit)
        {
            throw new ExportException(
                $"{_exportName}: column '{_column.Name}' has the value {value.ToString(System.Globalization.CultureInfo.InvariantCulture)}, which does not fit the Parquet type " +
                $"decimal({_decimalPrecision},{_decimalScale}); raise Format.Settings.{ParquetFormatOptions.DecimalPrecisionKey} " +
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
        switch (_kind)
        {
            case ParquetPhysicalKind.Int32: Array.Resize(ref _ints, capacity); break;
            case ParquetPhysicalKind.Int64: Array.Resize(ref _longs, capacity); break;
            case ParquetPhysicalKind.Double: Array.Resize(ref _doubles, capacity); break;
            case ParquetPhysicalKind.Decimal: Array.Resize(ref _decimals, capacity); break;
            case ParquetPhysicalKind.Boolean: Array.Resize(ref _booleans, capacity); break;
            case ParquetPhysicalKind.Guid or ParquetPhysicalKind.Decimal16: Array.Resize(ref _guids, capacity); break;
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
