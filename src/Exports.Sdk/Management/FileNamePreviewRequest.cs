namespace Exports.Sdk;

/// <summary>What a file name is previewed from: the template an audience would use, on a destination.</summary>
public sealed record FileNamePreviewRequest
{
    /// <summary>The destination the export writes to (its name, id and output format appear in the name).</summary>
    public required string Destination { get; init; }

    /// <summary>The file-name template, e.g. <c>%DESTINATION_NAME%_%SEGMENT_ID%_%DATETIME(YYYYMMdd_HHmmss)%</c>.</summary>
    public string? Template { get; init; }

    /// <summary>The audience id the name is rendered for; default <c>audience-id</c>.</summary>
    public string? AudienceId { get; init; }

    /// <summary>The audience's name, for <c>%SEGMENT_NAME%</c>; default the audience id.</summary>
    public string? AudienceName { get; init; }

    /// <summary>The dataflow's own output, when it overrides the destination's (its format gives the extension).</summary>
    public ExportOutputOptions? Output { get; init; }

    /// <summary>For <c>%ORGANIZATION_NAME%</c>.</summary>
    public string? OrganizationName { get; init; }

    /// <summary>For <c>%SANDBOX_NAME%</c>.</summary>
    public string? SandboxName { get; init; }
}
