using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Unicode;

namespace Exports.Sdk;

/// <summary>
/// Formats rows as JSON objects, one per line, as UTF-8 straight into a pooled buffer: property names are encoded once
/// (with their quotes, colon and comma), numbers use span formatting, and one vectorised scan per string decides
/// whether it needs escaping (only quotes, backslashes and control characters do; other text is kept as it is). Room
/// for everything but the strings is made once per row, so a row is written with the buffer and position in registers
/// (as CSV's common rows are).
/// </summary>
internal sealed class JsonLinesRowFormatter : Utf8RowFormatter
{
    private static readonly SearchValues<byte> NeedsEscaping = SearchValues.Create([.. Enumerable.Range(0, 0x20).Select(b => (byte)b), (byte)'"', (byte)'\\']);
    private static readonly byte[] Hex = "0123456789abcdef"u8.ToArray();

    private readonly Step[] _steps;
    private readonly byte[] _end;

    /// <summary>Room for a row's fixed bytes and its values other than strings (each at its longest, or null).</summary>
    private readonly int _rowReserve;

    public JsonLinesRowFormatter(JsonObjectLayout layout, IReadOnlyList<OutputColumn> columns)
    {
        // The fixed bytes between two values are written with one copy: `,"person":{"name":{"firstName":` before a
        // value (no comma for an object's first member), and the closing braces and line break after the last one.
        var steps = new List<Step>();
        var pending = new List<byte> { (byte)'{' };
        var first = new Stack<bool>();
        first.Push(true);
        foreach (var step in layout.Steps)
        {
            if (step.Kind == JsonObjectLayout.StepKind.EndObject)
            {
                first.Pop();
                pending.Add((byte)'}');
                continue;
            }

            if (!first.Pop())
            {
                pending.Add((byte)',');
            }

            first.Push(false);
            pending.Add((byte)'"');
            pending.AddRange(step.Name.EncodedUtf8Bytes);
            pending.Add((byte)'"');
            pending.Add((byte)':');
            if (step.Kind == JsonObjectLayout.StepKind.StartObject)
            {
                pending.Add((byte)'{');
                first.Push(true);
                continue;
            }

            steps.Add(new Step([.. pending], step.Column));
            pending.Clear();
        }

        pending.Add((byte)'}');
        pending.Add((byte)'\n');
        _steps = [.. steps];
        _end = [.. pending];
        _rowReserve = _end.Length + _steps.Sum(s => s.Bytes.Length + Math.Max("null".Length, columns[s.Column].Type switch
        {
            ExportColumnType.String => 0,
            ExportColumnType.Int32 => 11,
            ExportColumnType.Int64 => 20,
            ExportColumnType.Boolean => 5,
            ExportColumnType.Date => Utf8ValueFormatter.IsoDateLength + 2,
            ExportColumnType.Timestamp => Utf8ValueFormatter.IsoTimestampTicksLength + 2,
            ExportColumnType.Guid => 38,
            // Doubles and decimals as .NET formats them at their longest.
            _ => 66,
        }));
    }

    public override void FormatAll(ColumnVector[] vectors, ReadOnlySpan<int> rows)
    {
        _vectors = vectors;
        foreach (var row in rows)
        {
            FormatRow(row);
        }
    }

    private void FormatRow(int row)
    {
        var vectors = _vectors;
        EnsureCapacity(_rowReserve);
        var buffer = _buffer;
        var pos = _pos;
        foreach (var step in _steps)
        {
            step.Bytes.CopyTo(buffer.AsSpan(pos));
            pos += step.Bytes.Length;
            var vector = vectors[step.Column];
            if (vector.Nulls[row])
            {
                "null"u8.CopyTo(buffer.AsSpan(pos));
                pos += 4;
                continue;
            }

            int written;
            switch (vector.Type)
            {
                case ExportColumnType.String:
                    var text = vector.Strings![row];
                    if (text is null)
                    {
                        // Set as UTF-8 bytes: copied as they are unless something needs escaping.
                        var bytes = vector.Utf8!.Get(row);
                        if (buffer.Length - pos >= bytes.Length + 2 + _rowReserve && bytes.IndexOfAny(NeedsEscaping) < 0)
                        {
                            buffer[pos++] = (byte)'"';
                            bytes.CopyTo(buffer.AsSpan(pos));
                            pos += bytes.Length;
                            buffer[pos++] = (byte)'"';
                            break;
                        }

                        _pos = pos;
                        WriteUtf8String(bytes);
                    }
                    else
                    {
                        if (buffer.Length - pos >= text.Length + 2 + _rowReserve
                            && AsciiText.TryCopy(default(JsonSpecialBytes), text, buffer.AsSpan(pos + 1), out var escape) && !escape)
                        {
                            // The common value: ASCII, fits, needs no escaping.
                            buffer[pos] = (byte)'"';
                            pos += text.Length + 1;
                            buffer[pos++] = (byte)'"';
                            break;
                        }

                        _pos = pos;
                        WriteString(text);
                    }

                    // The other strings make their own room and may replace the buffer; the rest of the row needs its own.
                    EnsureCapacity(_rowReserve);
                    buffer = _buffer;
                    pos = _pos;
                    break;
                case ExportColumnType.Int32:
                    Utf8Formatter.TryFormat(vector.Int32s![row], buffer.AsSpan(pos), out written);
                    pos += written;
                    break;
                case ExportColumnType.Int64:
                    Utf8Formatter.TryFormat(vector.Int64s![row], buffer.AsSpan(pos), out written);
                    pos += written;
                    break;
                case ExportColumnType.Double:
                    var d = vector.Doubles![row];
                    if (double.IsFinite(d))
                    {
                        d.TryFormat(buffer.AsSpan(pos), out written, default, CultureInfo.InvariantCulture);
                        pos += written;
                        break;
                    }

                    // JSON has no NaN or infinity; write them as the strings .NET parses back.
                    _pos = pos;
                    WriteString(d.ToString(CultureInfo.InvariantCulture));
                    EnsureCapacity(_rowReserve);
                    buffer = _buffer;
                    pos = _pos;
                    break;
                case ExportColumnType.Decimal:
                    pos += Utf8ValueFormatter.WriteDecimal(buffer.AsSpan(pos), vector.Decimals![row]);
                    break;
                case ExportColumnType.Boolean:
                    pos += Utf8ValueFormatter.WriteBoolean(buffer.AsSpan(pos), vector.Booleans![row]);
                    break;
                case ExportColumnType.Date:
                    buffer[pos++] = (byte)'"';
                    Utf8ValueFormatter.WriteIsoDate(buffer.AsSpan(pos), vector.Dates![row]);
                    pos += Utf8ValueFormatter.IsoDateLength;
                    buffer[pos++] = (byte)'"';
                    break;
                case ExportColumnType.Timestamp:
                    // ISO 8601 in UTC with the full 100 ns precision (the "O" format), as System.Text.Json reads it back.
                    buffer[pos++] = (byte)'"';
                    Utf8ValueFormatter.WriteIsoTimestampTicks(buffer.AsSpan(pos), vector.Timestamps![row]);
                    pos += Utf8ValueFormatter.IsoTimestampTicksLength;
                    buffer[pos++] = (byte)'"';
                    break;
                case ExportColumnType.Guid:
                    buffer[pos++] = (byte)'"';
                    Utf8Formatter.TryFormat(vector.Guids![row], buffer.AsSpan(pos), out written);
                    pos += written;
                    buffer[pos++] = (byte)'"';
                    break;
            }
        }

        _end.CopyTo(buffer.AsSpan(pos));
        _pos = pos + _end.Length;
    }

    /// <summary>
    /// A string the row's own path did not write (not plain ASCII, in need of escaping, or longer than the room left):
    /// transcoded, then escaped where JSON needs it. The row's path has already tried the ASCII copy, so it is not tried again.
    /// </summary>
    private void WriteString(string value)
    {
        // Worst case every UTF-16 unit becomes 3 UTF-8 bytes, plus the quotes.
        EnsureCapacity((value.Length * 3) + 2);
        _buffer[_pos++] = (byte)'"';
        var destination = _buffer.AsSpan(_pos);
        Utf8.FromUtf16(value, destination, out _, out var written);
        var text = destination[..written];
        var special = text.IndexOfAny(NeedsEscaping);
        if (special < 0)
        {
            _pos += written;
        }
        else
        {
            // Rare: copy the tail out and write it back escaped (at most 6 bytes per control character).
            _pos += special;
            WriteEscaped(text[special..].ToArray());
        }

        EnsureCapacity(1);
        _buffer[_pos++] = (byte)'"';
    }

    /// <summary>A value set as UTF-8 bytes (not in the buffer), escaped where JSON needs it.</summary>
    private void WriteUtf8String(ReadOnlySpan<byte> value)
    {
        EnsureCapacity(value.Length + 2);
        _buffer[_pos++] = (byte)'"';
        var special = value.IndexOfAny(NeedsEscaping);
        if (special < 0)
        {
            value.CopyTo(_buffer.AsSpan(_pos));
            _pos += value.Length;
        }
        else
        {
            value[..special].CopyTo(_buffer.AsSpan(_pos));
            _pos += special;
            WriteEscaped(value[special..]);
        }

        EnsureCapacity(1);
        _buffer[_pos++] = (byte)'"';
    }

    /// <summary>Bytes from the first that needs escaping (at most 6 bytes out per control character).</summary>
    private void WriteEscaped(ReadOnlySpan<byte> rest)
    {
        EnsureCapacity(rest.Length * 6);
        foreach (var b in rest)
        {
            WriteEscaped(b);
        }
    }

    private void WriteEscaped(byte b)
    {
        var span = _buffer.AsSpan(_pos);
        switch (b)
        {
            case (byte)'"': span[0] = (byte)'\\'; span[1] = (byte)'"'; _pos += 2; return;
            case (byte)'\\': span[0] = (byte)'\\'; span[1] = (byte)'\\'; _pos += 2; return;
            case (byte)'\n': span[0] = (byte)'\\'; span[1] = (byte)'n'; _pos += 2; return;
            case (byte)'\r': span[0] = (byte)'\\'; span[1] = (byte)'r'; _pos += 2; return;
            case (byte)'\t': span[0] = (byte)'\\'; span[1] = (byte)'t'; _pos += 2; return;
            case (byte)'\b': span[0] = (byte)'\\'; span[1] = (byte)'b'; _pos += 2; return;
            case (byte)'\f': span[0] = (byte)'\\'; span[1] = (byte)'f'; _pos += 2; return;
        }

        if (b < 0x20)
        {
            span[0] = (byte)'\\';
            span[1] = (byte)'u';
            span[2] = (byte)'0';
            span[3] = (byte)'0';
            span[4] = Hex[b >> 4];
            span[5] = Hex[b & 0xF];
            _pos += 6;
            return;
        }

        span[0] = b;
        _pos++;
    }

    private readonly record struct Step(byte[] Bytes, int Column);
}
