using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Unicode;

namespace Exports.Sdk;

/// <summary>
/// Formats rows as UTF-8 straight into a pooled buffer: fixed-width code for ISO dates and timestamps,
/// span formatting for numbers, and one vectorised scan per string to decide quoting. Nothing is allocated per row.
/// Several formatters can work on different rows of one batch at once; each owns its buffer.
/// </summary>
internal sealed class CsvRowFormatter : Utf8RowFormatter
{
    private readonly FormatWriterContext _context;
    private readonly OutputColumn[] _columns;
    private readonly byte _delimiter;
    private readonly bool _quoting;
    private readonly byte _quote;
    private readonly bool _quoteAll;
    private readonly bool _hasEscape;
    private readonly byte _escape;
    private readonly byte[] _nullBytes;
    private readonly byte[] _emptyBytes;
    private readonly byte[] _newLine;
    private readonly SearchValues<byte> _specials;
    private readonly CsvSpecialBytes _specialBytes;
    private readonly bool _isoDate;
    private readonly bool _isoTimestamp;
    private readonly bool _isoNeedsScan;
    private readonly string _dateFormat;
    private readonly string _timestampFormat;

    /// <summary>Whether rows take <see cref="FormatPlainRow"/>: no quote-all, ISO dates and times that need no quoting.</summary>
    private readonly bool _plain;

    /// <summary>Room for a row without its strings: delimiters, line break and the widest form of every other value.</summary>
    private readonly int _rowReserve;

    public CsvRowFormatter(FormatWriterContext context)
    {
        _context = context;
        var options = context.Options.Csv;
        _columns = [.. context.Columns];
        _delimiter = (byte)options.Delimiter;
        _quoting = options.Quote is not null;
        _quote = (byte)(options.Quote ?? '"');
        _quoteAll = options.QuoteAll && _quoting;
        _hasEscape = options.Escape is not null && (!_quoting || options.Escape != options.Quote);
        _escape = (byte)(options.Escape ?? '\\');
        _nullBytes = Encoding.UTF8.GetBytes(options.NullValue ?? "");
        _emptyBytes = Encoding.UTF8.GetBytes(options.EmptyValue ?? (_quoting ? new string(options.Quote!.Value, 2) : ""));
        _newLine = Encoding.UTF8.GetBytes(options.NewLine);

        List<byte> specials = [_delimiter, (byte)'\r', (byte)'\n'];
        if (_quoting)
        {
            specials.Add(_quote);
        }

        if (_hasEscape)
        {
            specials.Add(_escape);
        }

        _specials = SearchValues.Create([.. specials]);
        _specialBytes = new CsvSpecialBytes([.. specials]);
        // ISO dates and times hold only digits and "-:.TZ"; only a delimiter among those (':') makes them need quoting.
        _isoNeedsScan = _quoteAll || "0123456789-:.TZ"u8.IndexOfAny(_specials) >= 0;
        _dateFormat = options.DateFormat;
        _timestampFormat = options.TimestampFormat;
        _isoDate = options.DateFormat == CsvFormatOptions.IsoDateFormat;
        _isoTimestamp = options.TimestampFormat == CsvFormatOptions.IsoTimestampFormat;
        _plain = _isoDate && _isoTimestamp && !_isoNeedsScan;
        _rowReserve = 2 + _columns.Sum(c => 1 + Math.Max(_nullBytes.Length, c.Type switch
        {
            ExportColumnType.String => 0,
            ExportColumnType.Guid => 36,
            ExportColumnType.Timestamp => Utf8ValueFormatter.IsoTimestampMillisLength,
            ExportColumnType.Date => Utf8ValueFormatter.IsoDateLength,
            _ => 64,
        }));
    }

    public void WriteHeader()
    {
        for (var c = 0; c < _columns.Length; c++)
        {
            if (c > 0)
            {
                EnsureCapacity(1);
                _buffer[_pos++] = _delimiter;
            }

            WriteString(_columns[c].Name, c);
        }

        WriteNewLine();
    }

    public override void FormatAll(ColumnVector[] vectors, ReadOnlySpan<int> rows)
    {
        _vectors = vectors;
        if (_plain)
        {
            foreach (var row in rows)
            {
                FormatPlainRow(row);
            }

            return;
        }

        foreach (var row in rows)
        {
            FormatRow(row);
        }
    }

    /// <summary>
    /// The common case, kept apart so the buffer and position stay in registers: room for everything but the strings is
    /// made once per row, and values other than strings are written without further checks or quoting decisions
    /// (invariant numbers, GUIDs and ISO dates never hold a delimiter, quote or line break here).
    /// </summary>
    private void FormatPlainRow(int row)
    {
        var vectors = _vectors;
        EnsureCapacity(_rowReserve);
        var buffer = _buffer;
        var pos = _pos;
        var delimiter = _delimiter;
        for (var c = 0; c < vectors.Length; c++)
        {
            if (c > 0)
            {
                buffer[pos++] = delimiter;
            }

            var vector = vectors[c];
            if (vector.Nulls[row])
            {
                _nullBytes.CopyTo(buffer.AsSpan(pos));
                pos += _nullBytes.Length;
                continue;
            }

            int written;
            switch (vector.Type)
            {
                case ExportColumnType.String:
                    var text = vector.Strings![row];
                    if (text is null)
                    {
                        // Set as UTF-8 bytes: written as they are.
                        var bytes = vector.Utf8!.Get(row);
                        if (bytes.Length > 0
                            && buffer.Length - pos >= bytes.Length + _rowReserve
                            && bytes.IndexOfAny(_specials) < 0
                            && !NeedsQuotes(bytes, special: false))
                        {
                            bytes.CopyTo(buffer.AsSpan(pos));
                            pos += bytes.Length;
                            break;
                        }

                        _pos = pos;
                        WriteUtf8String(bytes, c);
                        buffer = _buffer;
                        pos = _pos;
                        break;
                    }

                    if (text.Length > 0
                        && buffer.Length - pos >= text.Length + _rowReserve
                        && AsciiText.TryCopy(in _specialBytes, text, buffer.AsSpan(pos), out var special)
                        && !NeedsQuotes(buffer.AsSpan(pos, text.Length), special))
                    {
                        // The common field: ASCII, fits, needs no quotes.
                        pos += text.Length;
                        break;
                    }

                    // Everything else makes its own room (keeping the row's reserve) and may replace the buffer.
                    _pos = pos;
                    WriteString(text, c);
                    buffer = _buffer;
                    pos = _pos;
                    break;
                case ExportColumnType.Int32:
                    vector.Int32s![row].TryFormat(buffer.AsSpan(pos), out written, default, CultureInfo.InvariantCulture);
                    pos += written;
                    break;
                case ExportColumnType.Int64:
                    vector.Int64s![row].TryFormat(buffer.AsSpan(pos), out written, default, CultureInfo.InvariantCulture);
                    pos += written;
                    break;
                case ExportColumnType.Double:
                    vector.Doubles![row].TryFormat(buffer.AsSpan(pos), out written, default, CultureInfo.InvariantCulture);
                    pos += written;
                    break;
                case ExportColumnType.Decimal:
                    pos += Utf8ValueFormatter.WriteDecimal(buffer.AsSpan(pos), vector.Decimals![row]);
                    break;
                case ExportColumnType.Boolean:
                    pos += Utf8ValueFormatter.WriteBoolean(buffer.AsSpan(pos), vector.Booleans![row]);
                    break;
                case ExportColumnType.Date:
                    Utf8ValueFormatter.WriteIsoDate(buffer.AsSpan(pos), vector.Dates![row]);
                    pos += Utf8ValueFormatter.IsoDateLength;
                    break;
                case ExportColumnType.Timestamp:
                    Utf8ValueFormatter.WriteIsoTimestampMillis(buffer.AsSpan(pos), vector.Timestamps![row]);
                    pos += Utf8ValueFormatter.IsoTimestampMillisLength;
                    break;
                case ExportColumnType.Guid:
                    vector.Guids![row].TryFormat(buffer.AsSpan(pos), out written);
                    pos += written;
                    break;
            }
        }

        if (_newLine.Length == 2)
        {
            buffer[pos++] = (byte)'\r';
        }

        buffer[pos++] = (byte)'\n';
        _pos = pos;
    }

    private void FormatRow(int row)
    {
        var columns = _columns;
        var vectors = _vectors;
        for (var c = 0; c < columns.Length; c++)
        {
            if (c > 0)
            {
                EnsureCapacity(1);
                _buffer[_pos++] = _delimiter;
            }

            var vector = vectors[c];
            if (vector.Nulls[row])
            {
                WriteRaw(_nullBytes);
                continue;
            }

            switch (vector.Type)
            {
                case ExportColumnType.String:
                    if (vector.Strings![row] is { } value)
                    {
                        WriteString(value, c);
                    }
                    else
                    {
                        WriteUtf8String(vector.Utf8!.Get(row), c);
                    }

                    break;
                case ExportColumnType.Int32:
                    WriteQuotedIfNeeded(vector.Int32s![row]);
                    break;
                case ExportColumnType.Int64:
                    WriteQuotedIfNeeded(vector.Int64s![row]);
                    break;
                case ExportColumnType.Double:
                    WriteQuotedIfNeeded(vector.Doubles![row]);
                    break;
                case ExportColumnType.Decimal:
                    WriteDecimal(vector.Decimals![row]);
                    break;
                case ExportColumnType.Boolean:
                    WriteBoolean(vector.Booleans![row]);
                    break;
                case ExportColumnType.Date:
                    WriteDate(vector.Dates![row], c);
                    break;
                case ExportColumnType.Timestamp:
                    WriteTimestamp(vector.Timestamps![row], c);
                    break;
                case ExportColumnType.Guid:
                    WriteQuotedIfNeeded(vector.Guids![row]);
                    break;
            }
        }

        WriteNewLine();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void WriteNewLine()
    {
        EnsureCapacity(2);
        if (_newLine.Length == 1)
        {
            _buffer[_pos++] = (byte)'\n';
        }
        else
        {
            _buffer[_pos++] = (byte)'\r';
            _buffer[_pos++] = (byte)'\n';
        }
    }

    private void WriteQuotedIfNeeded<T>(T value)
        where T : IUtf8SpanFormattable
    {
        EnsureCapacity(64);
        value.TryFormat(_buffer.AsSpan(_pos), out var written, default, CultureInfo.InvariantCulture);
        // Invariant numbers and GUIDs never hold a delimiter, quote or line break; only quote-all quotes them.
        if (_quoteAll)
        {
            WrapInQuotes(written);
        }
        else
        {
            _pos += written;
        }
    }

    private void WriteDecimal(decimal value)
    {
        EnsureCapacity(Utf8ValueFormatter.MaxDecimalLength + 2);
        if (_quoteAll || !Utf8ValueFormatter.TryWriteDecimal(_buffer.AsSpan(_pos), value, out var written))
        {
            WriteQuotedIfNeeded(value);
            return;
        }

        _pos += written;
    }

    private void WriteBoolean(bool value)
    {
        var text = value ? "true"u8 : "false"u8;
        EnsureCapacity(text.Length + 2);
        text.CopyTo(_buffer.AsSpan(_pos));
        if (_quoteAll)
        {
            WrapInQuotes(text.Length);
        }
        else
        {
            _pos += text.Length;
        }
    }

    private void WriteDate(DateOnly date, int column)
    {
        EnsureCapacity(64);
        var span = _buffer.AsSpan(_pos);
        int written;
        if (_isoDate)
        {
            Utf8ValueFormatter.WriteIsoDate(span, date);
            written = Utf8ValueFormatter.IsoDateLength;
            if (!_isoNeedsScan)
            {
                _pos += written;
                return;
            }
        }
        else if (!date.TryFormat(span, out written, _dateFormat, CultureInfo.InvariantCulture))
        {
            WriteString(date.ToString(_dateFormat, CultureInfo.InvariantCulture), column);
            return;
        }

        CompleteFormatted(span, written, column);
    }

    private void WriteTimestamp(long utcTicks, int column)
    {
        EnsureCapacity(64);
        var span = _buffer.AsSpan(_pos);
        var value = new DateTime(utcTicks, DateTimeKind.Utc);
        int written;
        if (_isoTimestamp)
        {
            Utf8ValueFormatter.WriteIsoTimestampMillis(span, utcTicks);
            written = Utf8ValueFormatter.IsoTimestampMillisLength;
            if (!_isoNeedsScan)
            {
                _pos += written;
                return;
            }
        }
        else if (!value.TryFormat(span, out written, _timestampFormat, CultureInfo.InvariantCulture))
        {
            WriteString(value.ToString(_timestampFormat, CultureInfo.InvariantCulture), column);
            return;
        }

        CompleteFormatted(span, written, column);
    }

    /// <summary>Custom date formats may contain any text, so they go through the string rules.</summary>
    private void CompleteFormatted(Span<byte> span, int written, int column)
    {
        if (!_quoteAll && span[..written].IndexOfAny(_specials) < 0)
        {
            _pos += written;
            return;
        }

        WriteSpecial(span[..written].ToArray(), column);
    }

    private void WriteString(string value, int column)
    {
        if (value.Length == 0)
        {
            EnsureCapacity(_emptyBytes.Length + _rowReserve);
            WriteRaw(_emptyBytes);
            return;
        }

        EnsureCapacity((value.Length * 3) + _rowReserve);
        var destination = _buffer.AsSpan(_pos);
        int written;
        bool special;
        if (AsciiText.TryCopy(in _specialBytes, value, destination, out special))
        {
            written = value.Length;
        }
        else
        {
            Utf8.FromUtf16(value, destination, out _, out written);
            special = destination[..written].IndexOfAny(_specials) >= 0;
        }

        var field = destination[..written];
        if (!NeedsQuotes(field, special))
        {
            _pos += written;
            return;
        }

        // Rare: copy out so the escaped form can be written over the same buffer.
        var copy = ArrayPool<byte>.Shared.Rent(written);
        try
        {
            field.CopyTo(copy);
            WriteSpecial(copy.AsSpan(0, written), column);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }
    }

    /// <summary>A value set as UTF-8 bytes (not in the buffer), quoted or escaped where needed.</summary>
    private void WriteUtf8String(ReadOnlySpan<byte> value, int column)
    {
        if (value.Length == 0)
        {
            EnsureCapacity(_emptyBytes.Length + _rowReserve);
            WriteRaw(_emptyBytes);
            return;
        }

        if (NeedsQuotes(value, value.IndexOfAny(_specials) >= 0))
        {
            WriteSpecial(value, column);
            return;
        }

        EnsureCapacity(value.Length + _rowReserve);
        value.CopyTo(_buffer.AsSpan(_pos));
        _pos += value.Length;
    }

    /// <summary>Whether a non-empty field must be quoted or escaped: quote-all, a special byte, or (when quoting) an edge space.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool NeedsQuotes(ReadOnlySpan<byte> field, bool special) =>
        _quoteAll || special || (_quoting && (IsSpace(field[0]) || IsSpace(field[^1])));

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t';

    private void WriteSpecial(ReadOnlySpan<byte> field, int column)
    {
        if (!_quoting)
        {
            WriteUnquotedEscaped(field, column);
            return;
        }

        EnsureCapacity((field.Length * 2) + 2 + _rowReserve);
        var span = _buffer.AsSpan(_pos);
        var n = 0;
        span[n++] = _quote;
        foreach (var b in field)
        {
            if (b == _quote)
            {
                span[n++] = _hasEscape ? _escape : _quote;
            }
            else if (_hasEscape && b == _escape)
            {
                span[n++] = _escape;
            }

            span[n++] = b;
        }

        span[n++] = _quote;
        _pos += n;
    }

    private void WriteUnquotedEscaped(ReadOnlySpan<byte> field, int column)
    {
        if (!_hasEscape)
        {
            var name = column >= 0 ? _columns[column].Name : "(date)";
            var text = Encoding.UTF8.GetString(field);
            if (text.Length > 40)
            {
                text = string.Concat(text.AsSpan(0, 40), "…");
            }

            throw new ExportException(
                $"{_context.ExportName}: column '{name}' has the value \"{text}\" that holds the delimiter or a line break, " +
                "but CSV quoting is off (Format.Csv.Quote is null) and no escape character is set (Format.Csv.Escape).");
        }

        EnsureCapacity((field.Length * 2) + _rowReserve);
        var span = _buffer.AsSpan(_pos);
        var n = 0;
        foreach (var b in field)
        {
            if (b == _delimiter || b == _escape || b == '\n' || b == '\r')
            {
                span[n++] = _escape;
            }

            span[n++] = b;
        }

        _pos += n;
    }

    private void WrapInQuotes(int written)
    {
        EnsureCapacity(written + 2);
        var span = _buffer.AsSpan(_pos);
        span[..written].CopyTo(span[1..]);
        span[0] = _quote;
        span[written + 1] = _quote;
        _pos += written + 2;
    }
}
