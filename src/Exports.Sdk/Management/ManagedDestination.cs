namespace Exports.Sdk;

/// <summary>
/// A destination as a reader sees it: its settings without the secret ones, and for each secret setting only whether
/// it is set.
/// </summary>
public sealed record ManagedDestination
{
    /// <summary>The destination's name (unique, case-insensitive).</summary>
    public required string Name { get; init; }

    /// <summary>The provider type, e.g. <c>amazon-s3</c>.</summary>
    public required string Type { get; init; }

    /// <summary>The id written into manifest names; null uses <see cref="Name"/>.</summary>
    public string? Id { get; init; }

    /// <summary>The settings that are not secret.</summary>
    public required IReadOnlyDictionary<string, string?> Settings { get; init; }

    /// <summary>Each secret setting of the type, and whether it is set: secrets are never read back.</summary>
    public required IReadOnlyDictionary<string, bool> Secrets { get; init; }

    /// <summary>The folder the files go to, relative to the destination's root.</summary>
    public string? FolderPath { get; init; }

    /// <summary>The default output (format, compression, splitting, manifest).</summary>
    public required ExportOutputOptions Output { get; init; }

    /// <summary>The contributors it is shared with, and for what.</summary>
    public required IReadOnlyDictionary<string, DestinationAccess> SharedWith { get; init; }

    /// <summary>The concurrency token an update, share or delete must present.</summary>
    public required string ETag { get; init; }

    /// <summary>True when declared in code or configuration: listed, never changed at run time.</summary>
    public bool IsReadOnly { get; init; }

    /// <summary>When it was created at run time (null when declared).</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>When it was last changed at run time (null when declared).</summary>
    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>Whether the caller may edit, share, test and delete it (<see cref="ExportPermission.ManageDestinations"/>).</summary>
    public bool CanManage { get; init; }
}
