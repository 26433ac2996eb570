using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Unicode;

namespace Exports.Sdk;

/// <summary>
/// Formats rows as JSON objects, one per line, as UTF-8 straight into a pooled buffer: property names are encoded once
/// (with their quotes, colon and comma), numbers use span formatting, and one vectorised scan per string decides
/// whether it needs escaping (only quotes, backslashes and control characters do; other text is kept as it is).
/// </summary>
internal sealed class JsonLinesRowFormatter : Utf8RowFormatter
{
    private static readonly SearchValues<byte> NeedsEscaping = SearchValues.Create([.. Enumerable.Range(0, 0x20).Select(b => (byte)b), (byte)'"', (byte)'\\']);
    private static readonly byte[] Hex = "0123456789abcdef"u8.ToArray();

    private readonly Step[] _steps;
    private readonly byte[] _end;

    public JsonLinesRowFormatter(JsonObjectLayout layout)
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
        foreach (var step in _steps)
        {
            WriteRaw(step.Bytes);
            WriteValue(vectors[step.Column], row);
        }

        WriteRaw(_end);
    }

    private void WriteValue(ColumnVector vector, int row)
    {
        if (vector.Nulls[row])
        {
            WriteRaw("null"u8);
            return;
        }

        switch (vector.Type)
        {
            case ExportColumnType.String:
                if (vector.Strings![row] is { } value)
                {
                    WriteString(value);
                }
                else
                {
                    WriteUtf8String(vector.Utf8!.Get(row));
                }

                break;
            case ExportColumnType.Int32:
                EnsureCapacity(11);
                Utf8Formatter.TryFormat(vector.Int32s![row], _buffer.AsSpan(_pos), out var written);
                _pos += written;
                break;
            case ExportColumnType.Int64:
                EnsureCapacity(20);
                Utf8Formatter.TryFormat(vector.Int64s![row], _buffer.AsSpan(_pos), out written);
                _pos += written;
                break;
            case ExportColumnType.Double:
                var d = vector.Doubles![row];
                if (double.IsFinite(d))
                {
                    WriteFormatted(d, quoted: false);
                }
                else
                {
                    // JSON has no NaN or infinity; write them as the strings .NET parses back.
                    WriteString(d.ToString(CultureInfo.InvariantCulture));
                }

                break;
            case ExportColumnType.Decimal:
                EnsureCapacity(Utf8ValueFormatter.MaxDecimalLength);
                if (Utf8ValueFormatter.TryWriteDecimal(_buffer.AsSpan(_pos), vector.Decimals![row], out written))
                {
                    _pos += written;
                }
                else
                {
                    WriteFormatted(vector.Decimals![row], quoted: false);
                }

                break;
            case ExportColumnType.Boolean:
                WriteRaw(vector.Booleans![row] ? "true"u8 : "false"u8);
                break;
            case ExportColumnType.Date:
                EnsureCapacity(12);
                _buffer[_pos++] = (byte)'"';
                Utf8ValueFormatter.WriteIsoDate(_buffer.AsSpan(_pos), vector.Dates![row]);
                _pos += 10;
                _buffer[_pos++] = (byte)'"';
                break;
            case ExportColumnType.Timestamp:
                EnsureCapacity(30);
                _buffer[_pos++] = (byte)'"';
                // ISO 8601 in UTC with the full 100 ns precision (the "O" format), as System.Text.Json reads it back.
                Utf8ValueFormatter.WriteIsoTimestampTicks(_buffer.AsSpan(_pos), vector.Timestamps![row]);
                _pos += 28;
                _buffer[_pos++] = (byte)'"';
                break;
            case ExportColumnType.Guid:
                EnsureCapacity(38);
                _buffer[_pos++] = (byte)'"';
                Utf8Formatter.TryFormat(vector.Guids![row], _buffer.AsSpan(_pos), out written);
                _pos += written;
                _buffer[_pos++] = (byte)'"';
                break;
        }
    }

    private void WriteFormatted<T>(T value, bool quoted)
        where T : IUtf8SpanFormattable
    {
        EnsureCapacity(66);
        if (quoted)
        {
            _buffer[_pos++] = (byte)'"';
        }

        value.TryFormat(_buffer.AsSpan(_pos), out var written, default, CultureInfo.InvariantCulture);
        _pos += written;
        if (quoted)
        {
            _buffer[_pos++] = (byte)'"';
        }
    }

    private void WriteString(string value)
    {
        // Worst case every UTF-16 unit becomes 3 UTF-8 bytes, plus the quotes.
        EnsureCapacity((value.Length * 3) + 2);
        _buffer[_pos++] = (byte)'"';
        var destination = _buffer.AsSpan(_pos);
        if (AsciiText.TryCopy(default(JsonSpecialBytes), value, destination, out var escape) && !escape)
        {
            _pos += value.Length;
            _buffer[_pos++] = (byte)'"';
            return;
        }

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
