namespace Exports.Sdk;

/// <summary>
/// The JSON Lines format (<c>jsonl</c>): one JSON object per line. Dotted column names become nested objects
/// (<c>person.name.firstName</c> → <c>{"person":{"name":{"firstName":…}}}</c>); dates and timestamps are ISO-8601 strings.
/// </summary>
public sealed class JsonLinesFormat : IExportFormat
{
    /// <summary>The format name, <c>jsonl</c>.</summary>
    public const string FormatName = "jsonl";

    /// <inheritdoc />
    public string Name => FormatName;

    /// <inheritdoc />
    public string FileExtension => "jsonl";

    /// <inheritdoc />
    public bool SupportsCompression => true;

    /// <inheritdoc />
    public IReadOnlyList<string> Validate(FileFormatOptions options) => [];

    /// <inheritdoc />
    public IFormatWriter CreateWriter(Stream output, FormatWriterContext context) => new JsonLinesFormatWriter(output, context);
}
