namespace Exports.Sdk;

/// <summary>The values of the file-name placeholders for one file.</summary>
public sealed record FileNameContext
{
    /// <summary>The destination name (<c>%DESTINATION_NAME%</c>).</summary>
    public required string DestinationName { get; init; }

    /// <summary>The destination id (<c>%DESTINATION_ID%</c>).</summary>
    public required string DestinationId { get; init; }

    /// <summary>The audience id (<c>%SEGMENT_ID%</c>), or the dataset id for dataset exports.</summary>
    public required string SegmentId { get; init; }

    /// <summary>The audience name (<c>%SEGMENT_NAME%</c>).</summary>
    public string? SegmentName { get; init; }

    /// <summary>The organization name (<c>%ORGANIZATION_NAME%</c>).</summary>
    public string? OrganizationName { get; init; }

    /// <summary>The sandbox name (<c>%SANDBOX_NAME%</c>).</summary>
    public string? SandboxName { get; init; }

    /// <summary>The time the export is for (its scheduled time), rendered in UTC by <c>%DATETIME(…)%</c> and <c>%TIMESTAMP%</c>.</summary>
    public required DateTimeOffset Time { get; init; }
}
