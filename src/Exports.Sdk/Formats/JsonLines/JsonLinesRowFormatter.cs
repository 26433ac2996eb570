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

    public JsonLinesRowFormatter(JsonObjectLayout layout)
    {
        // Each step's bytes are fixed: `,"name":` (no comma for an object's first member), `,"name":{`, or `}`.
        var steps = new List<Step>();
        var first = new Stack<bool>();
        first.Push(true);
        foreach (var step in layout.Steps)
        {
            if (step.Kind == JsonObjectLayout.StepKind.EndObject)
            {
                first.Pop();
                steps.Add(new Step("}"u8.ToArray(), -1));
                continue;
            }

            var comma = !first.Pop();
            first.Push(false);
            var name = step.Name.EncodedUtf8Bytes;
            var prefix = new byte[(comma ? 1 : 0) + name.Length + 3 + (step.Kind == JsonObjectLayout.StepKind.StartObject ? 1 : 0)];
            var n = 0;
            if (comma)
            {
                prefix[n++] = (byte)',';
            }

            prefix[n++] = (byte)'"';
            name.CopyTo(prefix.AsSpan(n));
            n += name.Length;
            prefix[n++] = (byte)'"';
            prefix[n++] = (byte)':';
            if (step.Kind == JsonObjectLayout.StepKind.StartObject)
            {
                prefix[n] = (byte)'{';
                first.Push(true);
            }

            steps.Add(new Step(prefix, step.Kind == JsonObjectLayout.StepKind.Value ? step.Column : -1));
        }

        _steps = [.. steps];
    }

    protected override void FormatRow(int row)
    {
        EnsureCapacity(1);
        _buffer[_pos++] = (byte)'{';
        foreach (var step in _steps)
        {
            WriteRaw(step.Bytes);
            if (step.Column >= 0)
            {
                WriteValue(_vectors[step.Column], row);
            }
        }

        EnsureCapacity(2);
        _buffer[_pos++] = (byte)'}';
        _buffer[_pos++] = (byte)'\n';
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
                WriteString(vector.Strings![row]!);
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
                WriteFormatted(vector.Decimals![row], quoted: false);
                break;
            case ExportColumnType.Boolean:
                WriteRaw(vector.Booleans![row] ? "true"u8 : "false"u8);
                break;
            case ExportColumnType.Date:
                EnsureCapacity(16);
                _buffer[_pos++] = (byte)'"';
                vector.Dates![row].TryFormat(_buffer.AsSpan(_pos), out written, "yyyy-MM-dd", CultureInfo.InvariantCulture);
                _pos += written;
                _buffer[_pos++] = (byte)'"';
                break;
            case ExportColumnType.Timestamp:
                EnsureCapacity(40);
                _buffer[_pos++] = (byte)'"';
                // ISO 8601 in UTC with the full 100 ns precision, as System.Text.Json reads it back.
                new DateTime(vector.Timestamps![row], DateTimeKind.Utc).TryFormat(_buffer.AsSpan(_pos), out written, "O", CultureInfo.InvariantCulture);
                _pos += written;
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
            var rest = text[special..].ToArray();
            EnsureCapacity(rest.Length * 6);
            foreach (var b in rest)
            {
                WriteEscaped(b);
            }
        }

        EnsureCapacity(1);
        _buffer[_pos++] = (byte)'"';
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
