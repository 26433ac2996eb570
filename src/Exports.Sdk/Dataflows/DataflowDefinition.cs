namespace Exports.Sdk;

/// <summary>
/// A dataflow (export): one audience source, one destination, the attributes to export and the activated audiences.
/// Dataflows are data: bound from configuration (<c>Exports:Dataflows:&lt;id&gt;</c>) or built in code.
/// </summary>
public sealed class DataflowDefinition
{
    /// <summary>The dataflow id. Set from the configuration key when bound from configuration.</summary>
    public string Id { get; set; } = "";

    /// <summary>The display name. Default: <see cref="Id"/>.</summary>
    public string? Name { get; set; }

    /// <summary>An optional description.</summary>
    public string? Description { get; set; }

    /// <summary>The name of the registered <see cref="IAudienceSource"/>.</summary>
    public string Source { get; set; } = "";

    /// <summary>The name of the destination.</summary>
    public string Destination { get; set; } = "";

    /// <summary>The profile attribute paths to export, in column order (e.g. <c>person.name.firstName</c>).</summary>
    public List<string> Attributes { get; set; } = [];

    /// <summary>
    /// Whether to add the membership status (<c>realized</c>/<c>exited</c>) and its time as the last two columns. Default false.
    /// </summary>
    public bool IncludeMembershipStatus { get; set; }

    /// <summary>The organization name for <c>%ORGANIZATION_NAME%</c>.</summary>
    public string? OrganizationName { get; set; }

    /// <summary>The sandbox name for <c>%SANDBOX_NAME%</c>.</summary>
    public string? SandboxName { get; set; }

    /// <summary>The activated audiences, each with its file-name template.</summary>
    public List<AudienceActivation> Audiences { get; set; } = [];

    /// <summary>The display name, or the id when there is none.</summary>
    public string DisplayName => string.IsNullOrEmpty(Name) ? Id : Name;

    /// <inheritdoc />
    public override string ToString() => $"Dataflow '{Id}'";
}
