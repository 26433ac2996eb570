namespace Exports.Sdk;

/// <summary>
/// Configuration for a partner that picks files up from storage (e.g. an e-mail marketing platform): which storage
/// types it reads from and the file format it expects. A preset carries no transport code: the destination still uses
/// the S3, SFTP or Azure Blob provider, with the partner's host and credentials in its settings.
/// </summary>
public sealed record DestinationPreset
{
    /// <summary>The preset's name, e.g. <c>oracle-eloqua</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The partner's name, e.g. <c>Oracle Eloqua</c>.</summary>
    public required string DisplayName { get; init; }

    /// <summary>The provider types the partner reads from; the first is the usual one.</summary>
    public required IReadOnlyList<string> DestinationTypes { get; init; }

    /// <summary>What the partner expects, in a sentence or two.</summary>
    public string? Description { get; init; }

    /// <summary>The CSV field delimiter. Default <c>,</c>.</summary>
    public char Delimiter { get; init; } = ',';

    /// <summary>Whether every value is quoted. Default false (RFC 4180: only where needed).</summary>
    public bool QuoteAll { get; init; }

    /// <summary>Whether the first line names the columns. Default true (the partners' import mappings use it).</summary>
    public bool Header { get; init; } = true;

    /// <summary>The compression. Default none: these importers read plain CSV.</summary>
    public ExportCompression Compression { get; init; } = ExportCompression.None;

    /// <summary>
    /// Whether to write the run manifest. Default false: these importers pick up every file in their folder and would
    /// try to import a JSON manifest as data.
    /// </summary>
    public bool WriteManifest { get; init; }

    /// <summary>
    /// The file-name template to give the dataflow's audiences (<see cref="AudienceActivation.FileNameTemplate"/>).
    /// Default <see cref="Sdk.FileNameTemplate.Default"/>; a template without a date overwrites the same file each run.
    /// </summary>
    public string FileNameTemplate { get; init; } = Sdk.FileNameTemplate.Default;

    /// <summary>
    /// Applies the preset to a destination: sets <see cref="DestinationDefinition.Type"/> when it is empty (to the usual
    /// type), the CSV format, its options, compression and manifest. Settings (host, bucket, credentials) are untouched.
    /// </summary>
    /// <param name="definition">The destination definition.</param>
    /// <exception cref="ExportValidationException">The definition's type is one the partner does not read from.</exception>
    public void ApplyTo(DestinationDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (string.IsNullOrEmpty(definition.Type))
        {
            definition.Type = DestinationTypes[0];
        }
        else if (!DestinationTypes.Contains(definition.Type, StringComparer.OrdinalIgnoreCase))
        {
            throw new ExportValidationException(
                $"Destination '{definition.Name}': the {DisplayName} preset needs one of the types {string.Join(", ", DestinationTypes)}, not '{definition.Type}'.");
        }

        definition.Output.Format.Name = "csv";
        definition.Output.Format.Compression = Compression;
        definition.Output.Format.Csv.Delimiter = Delimiter;
        definition.Output.Format.Csv.QuoteAll = QuoteAll;
        definition.Output.Format.Csv.Header = Header;
        definition.Output.Format.Csv.Encoding = CsvEncoding.Utf8;
        definition.Output.Format.Csv.ByteOrderMark = false;
        definition.Output.WriteManifest = WriteManifest;
    }

    /// <summary>Applies <see cref="FileNameTemplate"/> to an activated audience.</summary>
    /// <param name="audience">The audience activation.</param>
    public void ApplyTo(AudienceActivation audience)
    {
        ArgumentNullException.ThrowIfNull(audience);
        audience.FileNameTemplate = FileNameTemplate;
    }
}
