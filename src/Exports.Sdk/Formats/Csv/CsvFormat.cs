using System.Globalization;

namespace Exports.Sdk;

/// <summary>The CSV format (<c>csv</c>): RFC 4180 by default, every option in <see cref="CsvFormatOptions"/>.</summary>
public sealed class CsvFormat : IExportFormat
{
    /// <summary>The format name, <c>csv</c>.</summary>
    public const string FormatName = "csv";

    private static readonly char[] AllowedDelimiters = [',', ';', '|', ':', '\t'];

    /// <inheritdoc />
    public string Name => FormatName;

    /// <inheritdoc />
    public string FileExtension => "csv";

    /// <inheritdoc />
    public bool SupportsCompression => true;

    /// <inheritdoc />
    public IReadOnlyList<string> Validate(FileFormatOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var csv = options.Csv;
        var problems = new List<string>();
        if (Array.IndexOf(AllowedDelimiters, csv.Delimiter) < 0)
        {
            problems.Add($"Format.Csv.Delimiter '{Printable(csv.Delimiter)}' is not supported; use one of , ; | : or tab.");
        }

        if (csv.Quote is { } quote && (quote > 127 || char.IsLetterOrDigit(quote) || char.IsWhiteSpace(quote) || quote == csv.Delimiter))
        {
            problems.Add($"Format.Csv.Quote '{Printable(quote)}' must be an ASCII symbol other than the delimiter.");
        }

        if (csv.Escape is { } escape && (escape > 127 || char.IsLetterOrDigit(escape) || char.IsWhiteSpace(escape) || escape == csv.Delimiter))
        {
            problems.Add($"Format.Csv.Escape '{Printable(escape)}' must be an ASCII symbol other than the delimiter.");
        }

        if (csv.Quote is null && csv.QuoteAll)
        {
            problems.Add("Format.Csv.QuoteAll is set but Format.Csv.Quote is null (no quoting).");
        }

        if (csv.NewLine is not ("\n" or "\r\n"))
        {
            problems.Add($"Format.Csv.NewLine must be \"\\n\" or \"\\r\\n\", not \"{csv.NewLine?.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)}\".");
        }

        if (csv.NullValue is null)
        {
            problems.Add("Format.Csv.NullValue must not be null; use \"\" for empty output.");
        }

        if (!Enum.IsDefined(csv.Encoding))
        {
            problems.Add($"Format.Csv.Encoding '{csv.Encoding}' is not supported; use Utf8 or Utf16.");
        }

        CheckFormat(problems, "Format.Csv.DateFormat", csv.DateFormat, f => new DateOnly(2024, 2, 29).ToString(f, CultureInfo.InvariantCulture));
        CheckFormat(problems, "Format.Csv.TimestampFormat", csv.TimestampFormat, f => new DateTime(2024, 2, 29, 23, 59, 58, DateTimeKind.Utc).ToString(f, CultureInfo.InvariantCulture));
        return problems;
    }

    /// <inheritdoc />
    public IFormatWriter CreateWriter(Stream output, FormatWriterContext context) => new CsvFormatWriter(output, context);

    private static void CheckFormat(List<string> problems, string field, string? format, Func<string, string> apply)
    {
        if (string.IsNullOrEmpty(format))
        {
            problems.Add($"{field} must not be empty.");
            return;
        }

        try
        {
            apply(format);
        }
        catch (FormatException)
        {
            problems.Add($"{field} '{format}' is not a valid .NET date format.");
        }
    }

    private static string Printable(char c) => c == '\t' ? "\\t" : char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString();
}
