namespace Exports.Sdk;

/// <summary>
/// A configured destination: its provider type, provider settings (location, credentials), file format,
/// splitting and manifest. Bound from configuration (<c>Exports:Destinations:&lt;name&gt;</c>) or set in code.
/// </summary>
public sealed class DestinationDefinition
{
    /// <summary>The destination name, unique within the application. Set from the configuration key.</summary>
    public string Name { get; set; } = "";

    /// <summary>A stable id used in manifest names (<c>manifest-&lt;id&gt;-&lt;runId&gt;.json</c>). Default: <see cref="Name"/>.</summary>
    public string? Id { get; set; }

    /// <summary>The provider type, e.g. <c>local</c>, <c>amazon-s3</c>, <c>azure-blob</c>, <c>sftp</c>.</summary>
    public string Type { get; set; } = "";

    /// <summary>
    /// Provider settings (location, credentials), keys case-insensitive. The provider's
    /// <see cref="DestinationDescriptor.Settings"/> lists them. Values marked secret never reach logs.
    /// </summary>
    public Dictionary<string, string?> Settings { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The folder under the provider's root that files go to, with <c>/</c> separators. Default: the root.</summary>
    public string? FolderPath { get; set; }

    /// <summary>The file format, its options and compression.</summary>
    public FileFormatOptions Format { get; set; } = new();

    /// <summary>The maximum number of rows per file before a new part starts. Default 5,000,000.</summary>
    public long MaxRowsPerFile { get; set; } = 5_000_000;

    /// <summary>
    /// The maximum size of a file in bytes, counted after compression, before a new part starts. Default: no limit.
    /// Checked after chunks of rows that shrink as the part fills, so a part ends before the limit when rows are of similar size.
    /// </summary>
    public long? MaxBytesPerFile { get; set; }

    /// <summary>Whether to write <c>manifest-&lt;destinationId&gt;-&lt;runId&gt;.json</c> after the data files. Default true.</summary>
    public bool WriteManifest { get; set; } = true;

    /// <summary>What to write for an audience with no rows. Default <see cref="EmptyExportBehavior.HeaderOnlyFile"/>.</summary>
    public EmptyExportBehavior EmptyExport { get; set; } = EmptyExportBehavior.HeaderOnlyFile;

    /// <summary>
    /// Who a contributor-role caller may see this destination's exports as: principal (user name, role or group claim
    /// value) → <see cref="DestinationAccess"/>. Administrators need no entry.
    /// </summary>
    public Dictionary<string, DestinationAccess> SharedWith { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The id used in manifest names.</summary>
    public string EffectiveId => string.IsNullOrEmpty(Id) ? Name : Id;

    /// <summary>Returns the name and type only; settings may hold secrets.</summary>
    /// <returns>A description without settings.</returns>
    public override string ToString() => $"Destination '{Name}' ({Type})";
}
