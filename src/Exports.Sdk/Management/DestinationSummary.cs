namespace Exports.Sdk;

/// <summary>A destination as the management API lists it: what and where, never its settings (they may hold secrets).</summary>
/// <param name="Name">The destination name.</param>
/// <param name="Type">The provider type, e.g. <c>sftp</c>.</param>
/// <param name="TypeDisplayName">The provider's display name, e.g. <c>SFTP</c>.</param>
/// <param name="FolderPath">The folder under the provider's root, if any.</param>
/// <param name="Format">The file format name.</param>
/// <param name="Compression">The compression.</param>
public sealed record DestinationSummary(string Name, string Type, string TypeDisplayName, string? FolderPath, string Format, ExportCompression Compression)
{
    /// <summary>Whether the caller may create, edit and run exports to it (<see cref="ExportPermission.ActivateDestinations"/>).</summary>
    public bool CanActivate { get; init; }

    /// <summary>Whether the caller may manage it and test its connection (<see cref="ExportPermission.ManageDestinations"/>).</summary>
    public bool CanManage { get; init; }
}
