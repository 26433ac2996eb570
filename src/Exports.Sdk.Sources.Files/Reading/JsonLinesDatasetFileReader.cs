using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace Exports.Sdk.Sources.Files;

/// <summary>
/// Reads JSON Lines files (<c>*.jsonl</c>, <c>*.ndjson</c>, and their <c>.gz</c>): one object per line; nested objects map
/// to dotted column names (<c>{"person":{"email":…}}</c> → <c>person.email</c>), the inverse of the JSON Lines export.
/// Lines are parsed with <see cref="Utf8JsonReader"/> from a reused buffer and property paths are matched without
/// allocating; only string values allocate. Arrays and properties that are not columns are skipped; a missing property is null.
/// Without declared columns the schema is inferred from the first object (integers → Int64, other numbers → Double,
/// true/false → Boolean, everything else → String).
/// </summary>
public sealed class JsonLinesDatasetFileReader : IDatasetFileReader
{
    private const int MaxDepth = 64;

    /// <inheritdoc />
    public string Format => "jsonl";

    /// <inheritdoc />
    public IReadOnlyList<string> FileExtensions { get; } = ["jsonl", "jsonl.gz", "ndjson", "ndjson.gz"];

    /// <inheritdoc />
    public async ValueTask<ExportSchema> ReadSchemaAsync(DatasetFileReadContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Schema is { } declared)
        {
            return declared;
        }

        var stream = DataFileStream.OpenRead(context.Path);
        await using (stream.ConfigureAwait(false))
        {
            await foreach (var line in LinesAsync(stream, cancellationToken).ConfigureAwait(false))
            {
                if (!IsBlank(line.Span))
                {
                    return Infer(line.Span, context);
                }
            }
        }

        return new ExportSchema([]);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<RowBatch> ReadAsync(DatasetFileReadContext context, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var schema = await ReadSchemaAsync(context, cancellationToken).ConfigureAwait(false);
        var ordinals = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < schema.Count; i++)
        {
            ordinals[schema[i].Name] = i;
        }

        var state = new LineState(schema, ordinals.GetAlternateLookup<ReadOnlySpan<char>>(), context);
        var batch = new RowBatch(schema, Math.Max(1, context.BatchSize));
        var stream = DataFileStream.OpenRead(context.Path);
        await using (stream.ConfigureAwait(false))
        {
            await foreach (var line in LinesAsync(stream, cancellationToken).ConfigureAwait(false))
            {
                state.LineNumber++;
                if (IsBlank(line.Span))
                {
                    continue;
                }

                ParseLine(line.Span, batch, batch.AddRow(), state);
                if (batch.IsFull)
                {
                    yield return batch;
                    batch.Clear();
                }
            }
        }

        yield return batch;
    }

    private static void ParseLine(ReadOnlySpan<byte> line, RowBatch batch, int row, LineState state)
    {
        try
        {
            var reader = new Utf8JsonReader(line, new JsonReaderOptions { MaxDepth = MaxDepth });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw state.Error("is not a JSON object");
            }

            Span<int> prefix = stackalloc int[MaxDepth + 1];
            var depth = 0;
            var length = 0;
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    if (depth-- == 0)
                    {
                        return;
                    }

                    continue;
                }

                // A property: its path is the enclosing object's path, a dot, and its name.
                var start = prefix[depth];
                length = state.AppendName(ref reader, start);
                reader.Read();
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        prefix[++depth] = length + 1;
                        state.Path[length] = '.';
                        break;
                    case JsonTokenType.StartArray:
                        reader.Skip();
                        break;
                    case JsonTokenType.Null:
                        break;
                    default:
                        if (state.Ordinals.TryGetValue(state.Path.AsSpan(0, length), out var column))
                        {
                            Set(ref reader, batch, row, column, state);
                        }

                        break;
                }
            }
        }
        catch (JsonException ex)
        {
            throw state.Error($"is not valid JSON: {ex.Message}", ex);
        }
    }

    private static void Set(ref Utf8JsonReader reader, RowBatch batch, int row, int column, LineState state)
    {
        var type = batch.Schema[column].Type;
        var token = reader.TokenType;
        var ok = true;
        switch (type)
        {
            case ExportColumnType.String:
                batch.SetString(row, column, token == JsonTokenType.String ? reader.GetString() : Encoding.UTF8.GetString(reader.ValueSpan));
                break;
            case ExportColumnType.Int32 when token == JsonTokenType.Number && reader.TryGetInt32(out var i):
                batch.SetInt32(row, column, i);
                break;
            case ExportColumnType.Int64 when token == JsonTokenType.Number && reader.TryGetInt64(out var l):
                batch.SetInt64(row, column, l);
                break;
            case ExportColumnType.Double when token == JsonTokenType.Number && reader.TryGetDouble(out var d):
                batch.SetDouble(row, column, d);
                break;
            case ExportColumnType.Double when token == JsonTokenType.String:
                // The JSON Lines export writes NaN and infinities as strings.
                ok = double.TryParse(Chars(ref reader, state), NumberStyles.Float, CultureInfo.InvariantCulture, out var special);
                batch.SetDouble(row, column, special);
                break;
            case ExportColumnType.Decimal when token == JsonTokenType.Number && reader.TryGetDecimal(out var m):
                batch.SetDecimal(row, column, m);
                break;
            case ExportColumnType.Boolean when token is JsonTokenType.True or JsonTokenType.False:
                batch.SetBoolean(row, column, token == JsonTokenType.True);
                break;
            case ExportColumnType.Date when token == JsonTokenType.String && DateOnly.TryParse(Chars(ref reader, state), CultureInfo.InvariantCulture, DateTimeStyles.None, out var date):
                batch.SetDate(row, column, date);
                break;
            case ExportColumnType.Timestamp when token == JsonTokenType.String && DateTimeOffset.TryParse(Chars(ref reader, state), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time):
                batch.SetTimestamp(row, column, time);
                break;
            case ExportColumnType.Guid when token == JsonTokenType.String && reader.TryGetGuid(out var g):
                batch.SetGuid(row, column, g);
                break;
            default:
                ok = false;
                break;
        }

        if (!ok)
        {
            throw state.Error($"has in '{batch.Schema[column].Name}' the value {Encoding.UTF8.GetString(reader.ValueSpan)}, which is not a {type}");
        }
    }

    private static ReadOnlySpan<char> Chars(ref Utf8JsonReader reader, LineState state)
    {
        var needed = reader.HasValueSequence ? (int)reader.ValueSequence.Length : reader.ValueSpan.Length;
        state.EnsureScratch(needed);
        return state.Scratch.AsSpan(0, reader.CopyString(state.Scratch));
    }

    private static ExportSchema Infer(ReadOnlySpan<byte> line, DatasetFileReadContext context)
    {
        var columns = new List<ExportColumn>();
        try
        {
            using var document = JsonDocument.Parse(line.ToArray());
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new ExportException($"Dataset '{context.DatasetId}': the first line of '{Path.GetFileName(context.Path)}' is not a JSON object.");
            }

            Walk(document.RootElement, "", columns);
        }
        catch (JsonException ex)
        {
            throw new ExportException($"Dataset '{context.DatasetId}': the first line of '{Path.GetFileName(context.Path)}' is not valid JSON: {ex.Message}", ex);
        }

        return new ExportSchema(columns);

        static void Walk(JsonElement element, string prefix, List<ExportColumn> columns)
        {
            foreach (var property in element.EnumerateObject())
            {
                var name = prefix + property.Name;
                switch (property.Value.ValueKind)
                {
                    case JsonValueKind.Object: Walk(property.Value, name + ".", columns); break;
                    case JsonValueKind.Array: break;
                    case JsonValueKind.Number: columns.Add(new(name, property.Value.TryGetInt64(out _) ? ExportColumnType.Int64 : ExportColumnType.Double)); break;
                    case JsonValueKind.True or JsonValueKind.False: columns.Add(new(name, ExportColumnType.Boolean)); break;
                    default: columns.Add(new(name, ExportColumnType.String)); break;
                }
            }
        }
    }

    private static bool IsBlank(ReadOnlySpan<byte> line) => line.Trim(" \t\r"u8).IsEmpty;

    /// <summary>Yields the lines of a stream as slices of one reused buffer, valid until the next line is asked for.</summary>
    private static async IAsyncEnumerable<ReadOnlyMemory<byte>> LinesAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
        var start = 0;
        var end = 0;
        try
        {
            while (true)
            {
                int newLine;
                while ((newLine = buffer.AsSpan(start, end - start).IndexOf((byte)'\n')) >= 0)
                {
                    yield return buffer.AsMemory(start, newLine);
                    start += newLine + 1;
                }

                if (start > 0)
                {
                    buffer.AsSpan(start, end - start).CopyTo(buffer);
                    end -= start;
                    start = 0;
                }

                if (end == buffer.Length)
                {
                    // A line longer than the buffer: grow it.
                    var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, end).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }

                var read = await stream.ReadAsync(buffer.AsMemory(end), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    if (end > 0)
                    {
                        yield return buffer.AsMemory(0, end);
                    }

                    yield break;
                }

                end += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Per-file parsing state: the path being built, the column lookup and the line number for messages.</summary>
    private sealed class LineState(ExportSchema schema, Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> ordinals, DatasetFileReadContext context)
    {
        public char[] Path { get; private set; } = new char[256];

        public char[] Scratch { get; private set; } = new char[128];

        public Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> Ordinals { get; } = ordinals;

        public ExportSchema Schema { get; } = schema;

        public long LineNumber { get; set; }

        /// <summary>Writes the current property name at <paramref name="start"/> and returns the path's new length.</summary>
        public int AppendName(ref Utf8JsonReader reader, int start)
        {
            var needed = start + (reader.HasValueSequence ? (int)reader.ValueSequence.Length : reader.ValueSpan.Length) + 1;
            if (Path.Length < needed)
            {
                var bigger = new char[Math.Max(needed, Path.Length * 2)];
                Path.AsSpan(0, start).CopyTo(bigger);
                Path = bigger;
            }

            return start + reader.CopyString(Path.AsSpan(start));
        }

        public void EnsureScratch(int length)
        {
            if (Scratch.Length < length)
            {
                Scratch = new char[Math.Max(length, Scratch.Length * 2)];
            }
        }

        public ExportException Error(string problem, Exception? inner = null) =>
            new($"Dataset '{context.DatasetId}': line {LineNumber} of the JSON Lines file '{System.IO.Path.GetFileName(context.Path)}' {problem}.", inner);
    }
}
