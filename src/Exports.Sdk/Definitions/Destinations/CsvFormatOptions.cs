namespace Exports.Sdk;

/// <summary>CSV options partners expect. The defaults give RFC 4180 files in UTF-8 without BOM.</summary>
public sealed class CsvFormatOptions
{
    /// <summary>The default <see cref="DateFormat"/>.</summary>
    public const string IsoDateFormat = "yyyy-MM-dd";

    /// <summary>The default <see cref="TimestampFormat"/> (UTC, milliseconds).</summary>
    public const string IsoTimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    /// <summary>Whether the first line names the columns. Default true.</summary>
    public bool Header { get; set; } = true;

    /// <summary>The field delimiter: <c>,</c> (default), <c>;</c>, <c>|</c>, <c>:</c> or tab.</summary>
    public char Delimiter { get; set; } = ',';

    /// <summary>The quote character, default <c>"</c>; null for no quoting (values holding a delimiter or line break are then escaped or rejected).</summary>
    public char? Quote { get; set; } = '"';

    /// <summary>Whether every non-null value is quoted. Default false: only values that need it (RFC 4180, plus leading or trailing spaces).</summary>
    public bool QuoteAll { get; set; }

    /// <summary>
    /// The character that escapes a quote inside a quoted value. Default: the quote itself (doubled, RFC 4180).
    /// With another character (e.g. <c>\</c>) quotes and the escape character itself are prefixed by it.
    /// Without quoting, it prefixes delimiters and line breaks inside values.
    /// </summary>
    public char? Escape { get; set; }

    /// <summary>The text written for a null value. Default empty.</summary>
    public string NullValue { get; set; } = "";

    /// <summary>The text written for an empty string. Default: two quotes (<c>""</c>), so empty and null differ; empty without quoting.</summary>
    public string? EmptyValue { get; set; }

    /// <summary>The .NET format of dates. Default <see cref="IsoDateFormat"/>.</summary>
    public string DateFormat { get; set; } = IsoDateFormat;

    /// <summary>The .NET format of timestamps, applied in UTC. Default <see cref="IsoTimestampFormat"/>.</summary>
    public string TimestampFormat { get; set; } = IsoTimestampFormat;

    /// <summary>The text encoding. Default <see cref="CsvEncoding.Utf8"/>.</summary>
    public CsvEncoding Encoding { get; set; } = CsvEncoding.Utf8;

    /// <summary>Whether to start the file with a byte-order mark. Default: no for UTF-8, yes for UTF-16.</summary>
    public bool? ByteOrderMark { get; set; }

    /// <summary>The line terminator: <c>\n</c> (default) or <c>\r\n</c>.</summary>
    public string NewLine { get; set; } = "\n";

    internal CsvFormatOptions Clone() => (CsvFormatOptions)MemberwiseClone();
}
