namespace Exports.Sdk;

/// <summary>
/// A configured destination in three parts: storage (<see cref="Type"/>, <see cref="Settings"/> bound to the provider's
/// typed options, <see cref="FolderPath"/>), output (<see cref="Output"/>: format, parts, manifest) and sharing
/// (<see cref="SharedWith"/>). Bound from configuration (<c>Exports:Destinations:&lt;name&gt;</c>), set in code, or
/// created at run time.
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
    /// Storage settings (location, credentials), keys case-insensitive, bound to the provider's options type by
    /// <see cref="DestinationSettingsBinder"/>; the provider's <see cref="DestinationDescriptor.Settings"/> lists them.
    /// Values marked secret never reach logs.
    /// </summary>
    public Dictionary<string, string?> Settings { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The folder under the provider's root that files go to, with <c>/</c> separators. Default: the root.</summary>
    public string? FolderPath { get; set; }

    /// <summary>The default output of exports to this destination: format, part limits, manifest, empty-export policy.</summary>
    public ExportOutputOptions Output { get; set; } = new();

    /// <summary>
    /// Who a contributor-role caller may see this destination's exports as: principal (user name, role or group claim
    /// value) → <see cref="DestinationAccess"/>. Administrators need no entry.
    /// </summary>
    public Dictionary<string, DestinationAccess> SharedWith { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The id used in manifest names.</summary>
    public string EffectiveId => string.IsNullOrEmpty(Id) ? Name : Id;

    /// <summary>Returns a deep copy.</summary>
    /// <returns>The copy.</returns>
    public DestinationDefinition Clone()
    {
        var copy = (DestinationDefinition)MemberwiseClone();
        copy.Settings = CaseInsensitiveKeys.Copy(Settings);
        copy.Output = Output.Clone();
        copy.SharedWith = CaseInsensitiveKeys.Copy(SharedWith);
        return copy;
    }

    /// <summary>Returns the name and type only; settings may hold secrets.</summary>
    /// <returns>A description without settings.</returns>
    public override string ToString() => $"Destination '{Name}' ({Type})";
}
