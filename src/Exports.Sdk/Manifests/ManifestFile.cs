namespace Exports.Sdk;

/// <summary>One file in a manifest.</summary>
public sealed record ManifestFile
{
    /// <summary>The path relative to the destination's root.</summary>
    public required string SinkPath { get; init; }

    /// <summary>The file name.</summary>
    public required string Name { get; init; }

    /// <summary>The size in bytes.</summary>
    public required long Size { get; init; }

    /// <summary>The number of data rows.</summary>
    public required long Rows { get; init; }

    /// <summary>The lowercase hex SHA-256 of the file.</summary>
    public required string Sha256 { get; init; }

    /// <summary>The audience id, for audience exports.</summary>
    public string? AudienceId { get; init; }

    /// <summary>The dataset id, for dataset exports.</summary>
    public string? DatasetId { get; init; }

    /// <summary>The part number, from 1.</summary>
    public required int Part { get; init; }
}
