namespace Exports.Sdk;

/// <summary>The values a <see cref="DatasetFolderTemplate"/> renders.</summary>
public sealed record DatasetFolderContext
{
    /// <summary>The dataset id.</summary>
    public required string DatasetId { get; init; }

    /// <summary>The run's scheduled time.</summary>
    public required DateTimeOffset Time { get; init; }

    /// <summary>The destination's type (its provider), e.g. <c>sftp</c>.</summary>
    public required string DestinationType { get; init; }

    /// <summary>The destination's name.</summary>
    public required string DestinationName { get; init; }

    /// <summary>The destination's id.</summary>
    public required string DestinationId { get; init; }

    /// <summary>The sandbox name, if any.</summary>
    public string? SandboxName { get; init; }

    /// <summary>The organization name, if any.</summary>
    public string? OrganizationName { get; init; }
}
