using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Exports.Sdk;

/// <summary>Formats rows as JSON objects, one per line, with <see cref="Utf8JsonWriter"/> into a reused buffer.</summary>
internal sealed class JsonLinesRowFormatter : IRowFormatter
{

    private readonly JsonObjectLayout.Step[] _steps;
    private readonly ArrayBufferWriter<byte> _buffer = new(128 * 1024);
    private readonly Utf8JsonWriter _writer;
    private readonly char[] _dateChars = new char[64];
    private ColumnVector[] _vectors = [];

    public JsonLinesRowFormatter(JsonObjectLayout layout)
    {
        _steps = layout.Steps;
        _writer = new Utf8JsonWriter(_buffer, new JsonWriterOptions
        {
            // Relaxed escaping keeps non-ASCII text readable; quotes, backslashes and control characters are still escaped.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            SkipValidation = true,
        });
    }

    public ReadOnlyMemory<byte> Formatted => _buffer.WrittenMemory;

    public void Reset() => _buffer.ResetWrittenCount();

    /// <summary>Formats every row (a worker's share of a batch).</summary>
    public void FormatAll(ColumnVector[] vectors, ReadOnlySpan<int> rows)
    {
        _vectors = vectors;
        foreach (var row in rows)
        {
            FormatRow(row);
        }
    }

    public void Dispose() => _writer.Dispose();

    private void FormatRow(int row)
    {
        var writer = _writer;
        writer.WriteStartObject();
        foreach (var step in _steps)
        {
            switch (step.Kind)
            {
                case JsonObjectLayout.StepKind.StartObject:
                    writer.WriteStartObject(step.Name);
                    break;
                case JsonObjectLayout.StepKind.EndObject:
                    writer.WriteEndObject();
                    break;
                default:
                    WriteValue(step.Name, _vectors[step.Column], row);
                    break;
            }
        }

        writer.WriteEndObject();
        writer.Flush();
        // Reset drops the writer's notion of a completed top-level value, so the next object needs no separator.
        writer.Reset();
        _buffer.GetSpan(1)[0] = (byte)'\n';
        _buffer.Advance(1);
    }

    private void WriteValue(JsonEncodedText name, ColumnVector vector, int row)
    {
        var writer = _writer;
        if (vector.Nulls[row])
        {
            writer.WriteNull(name);
            return;
        }

        switch (vector.Type)
        {
            case ExportColumnType.String:
                writer.WriteString(name, vector.Strings![row]);
                break;
            case ExportColumnType.Int32:
                writer.WriteNumber(name, vector.Int32s![row]);
                break;
            case ExportColumnType.Int64:
                writer.WriteNumber(name, vector.Int64s![row]);
                break;
            case ExportColumnType.Double:
                var d = vector.Doubles![row];
                if (double.IsFinite(d))
                {
                    writer.WriteNumber(name, d);
                }
                else
                {
                    // JSON has no NaN or infinity; write them as the strings .NET parses back.
                    writer.WriteString(name, d.ToString(CultureInfo.InvariantCulture));
                }

                break;
            case ExportColumnType.Decimal:
                writer.WriteNumber(name, vector.Decimals![row]);
                break;
            case ExportColumnType.Boolean:
                writer.WriteBoolean(name, vector.Booleans![row]);
                break;
            case ExportColumnType.Date:
                vector.Dates![row].TryFormat(_dateChars, out var n, "yyyy-MM-dd", CultureInfo.InvariantCulture);
                writer.WriteString(name, _dateChars.AsSpan(0, n));
                break;
            case ExportColumnType.Timestamp:
                writer.WriteString(name, new DateTime(vector.Timestamps![row], DateTimeKind.Utc));
                break;
            case ExportColumnType.Guid:
                writer.WriteString(name, vector.Guids![row]);
                break;
        }
    }
}
