namespace Exports.Sdk;

/// <summary>
/// JSON as dataset exports write it (<c>json</c>): the <see cref="JsonLinesFormat"/> writer, one object per line, in
/// files ending <c>.json</c> (<c>.json.gz</c> compressed), as the platforms the SDK is modelled on name them.
/// </summary>
public sealed class JsonFormat : IExportFormat
{
    /// <summary>The format name, <c>json</c>.</summary>
    public const string FormatName = "json";

    /// <inheritdoc />
    public string Name => FormatName;

    /// <inheritdoc />
    public string FileExtension => "json";

    /// <inheritdoc />
    public bool SupportsCompression => true;

    /// <inheritdoc />
    public IReadOnlyList<string> Validate(FileFormatOptions options) => [];

    /// <inheritdoc />
    public IFormatWriter CreateWriter(Stream output, FormatWriterContext context) => new JsonLinesFormatWriter(output, context);
}
