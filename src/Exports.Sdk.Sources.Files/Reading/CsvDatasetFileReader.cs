using System.Buffers.Text;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using CsvHelper;

namespace Exports.Sdk.Sources.Files;

/// <summary>
/// Reads CSV files (<c>*.csv</c>, <c>*.csv.gz</c>, <c>*.tsv</c>) with CsvHelper. Settings: <c>delimiter</c> (default: detected
/// among <c>, ; tab |</c>), <c>header</c> (<c>true</c> by default; without one, columns are <c>Column1</c>, <c>Column2</c>… unless
/// declared), <c>nullValues</c> (comma-separated texts that mean null, e.g. <c>NULL,\N</c>; an empty field is always null).
/// Declared columns are matched to the header by name and parsed from the UTF-8 bytes of each field.
/// </summary>
public sealed class CsvDatasetFileReader : IDatasetFileReader
{
    /// <inheritdoc />
    public string Format => "csv";

    /// <inheritdoc />
    public IReadOnlyList<string> FileExtensions { get; } = ["csv", "csv.gz", "tsv", "tsv.gz"];

    /// <inheritdoc />
    public async ValueTask<ExportSchema> ReadSchemaAsync(DatasetFileReadContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var stream = DataFileStream.OpenRead(context.Path);
        await using (stream.ConfigureAwait(false))
        {
            using var csv = CsvReader.Create(stream, Options(context), leaveOpen: true);
            await csv.ReadHeaderAsync(cancellationToken).ConfigureAwait(false);
            return Plan(csv, context).Schema;
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<RowBatch> ReadAsync(DatasetFileReadContext context, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var stream = DataFileStream.OpenRead(context.Path);
        await using (stream.ConfigureAwait(false))
        {
            using var csv = CsvReader.Create(stream, Options(context), leaveOpen: true);
            await csv.ReadHeaderAsync(cancellationToken).ConfigureAwait(false);
            var (schema, fields) = Plan(csv, context);
            var batch = new RowBatch(schema, Math.Max(1, context.BatchSize));
            while (await csv.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var row = batch.AddRow();
                for (var c = 0; c < fields.Length; c++)
                {
                    var field = fields[c];
                    if (field < 0 || field >= csv.FieldCount || csv.IsNull(field))
                    {
                        continue;
                    }

                    if (!TrySet(csv, field, batch, row, c))
                    {
                        throw new ExportException(
                            $"Dataset '{context.DatasetId}': the CSV file '{Path.GetFileName(context.Path)}' has, in record {csv.RowNumber}, the value " +
                            $"'{csv.GetString(field)}' in column '{schema[c].Name}', which is not a {schema[c].Type}.");
                    }
                }

                if (batch.IsFull)
                {
                    yield return batch;
                    batch.Clear();
                }
            }

            yield return batch;
        }
    }

    private static CsvReaderOptions Options(DatasetFileReadContext context)
    {
        var settings = context.Settings;
        char? separator = settings.GetValueOrDefault("delimiter") is { Length: > 0 } d ? (d is "\\t" or "tab" ? '\t' : d[0])
            : context.Path.Contains(".tsv", StringComparison.OrdinalIgnoreCase) ? '\t' : null;
        return new CsvReaderOptions
        {
            Separator = separator,
            HasHeader = !string.Equals(settings.GetValueOrDefault("header"), "false", StringComparison.OrdinalIgnoreCase),
            NullValues = settings.GetValueOrDefault("nullValues") is { Length: > 0 } nulls ? nulls.Split(',') : null,
            FormatProvider = CultureInfo.InvariantCulture,
        };
    }

    private static (ExportSchema Schema, int[] Fields) Plan(CsvReader csv, DatasetFileReadContext context)
    {
        var headers = csv.Headers;
        if (context.Schema is not { } declared)
        {
            var names = headers.Count > 0 ? headers : [.. Enumerable.Range(1, csv.FieldCount).Select(i => $"Column{i}")];
            return (new ExportSchema(names.Select(n => new ExportColumn(n, ExportColumnType.String))), [.. Enumerable.Range(0, names.Count)]);
        }

        var fields = new int[declared.Count];
        var missing = new List<string>();
        for (var c = 0; c < declared.Count; c++)
        {
            if (headers.Count == 0)
            {
                fields[c] = c;
            }
            else if (!csv.TryGetFieldIndex(declared[c].Name, out fields[c]))
            {
                missing.Add(declared[c].Name);
            }
        }

        if (missing.Count > 0)
        {
            throw new ExportException(
                $"Dataset '{context.DatasetId}': the CSV file '{Path.GetFileName(context.Path)}' has no column {string.Join(", ", missing.Select(m => $"'{m}'"))}; " +
                $"its header is {string.Join(", ", headers.Select(h => $"'{h}'"))}.");
        }

        return (declared, fields);
    }

    private static bool TrySet(CsvReader csv, int field, RowBatch batch, int row, int column)
    {
        switch (batch.Schema[column].Type)
        {
            case ExportColumnType.String:
                batch.SetString(row, column, csv.GetString(field));
                return true;
            case ExportColumnType.Int32 when csv.TryParse<int>(field, out var i):
                batch.SetInt32(row, column, i);
                return true;
            case ExportColumnType.Int64 when csv.TryParse<long>(field, out var l):
                batch.SetInt64(row, column, l);
                return true;
            case ExportColumnType.Double when csv.TryParse<double>(field, out var d):
                batch.SetDouble(row, column, d);
                return true;
            case ExportColumnType.Decimal when csv.TryParse<decimal>(field, out var m):
                batch.SetDecimal(row, column, m);
                return true;
            case ExportColumnType.Boolean when csv.TryParse<bool>(field, out var b):
                batch.SetBoolean(row, column, b);
                return true;
            case ExportColumnType.Guid when Utf8Parser.TryParse(csv.GetSpan(field), out Guid g, out var used) && used == csv.GetSpan(field).Length:
                batch.SetGuid(row, column, g);
                return true;
            case ExportColumnType.Date:
            case ExportColumnType.Timestamp:
                return TrySetTime(csv.GetSpan(field), batch, row, column);
            default:
                return false;
        }
    }

    /// <summary>Dates and times are decoded on the stack and parsed as ISO-8601; times without a zone are UTC.</summary>
    private static bool TrySetTime(ReadOnlySpan<byte> utf8, RowBatch batch, int row, int column)
    {
        if (utf8.Length > 64)
        {
            return false;
        }

        Span<char> chars = stackalloc char[64];
        var length = Encoding.UTF8.GetChars(utf8, chars);
        var text = chars[..length].Trim();
        if (batch.Schema[column].Type == ExportColumnType.Date)
        {
            if (DateOnly.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                batch.SetDate(row, column, date);
                return true;
            }

            return false;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            batch.SetTimestamp(row, column, time);
            return true;
        }

        return false;
    }
}
