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

    /// <summary>This dataflow's own output (format, parts, manifest), instead of the destination's <see cref="DestinationDefinition.Output"/>. Default: the destination's.</summary>
    public ExportOutputOptions? Output { get; set; }

    /// <summary>The profile attribute paths to export, in column order (e.g. <c>person.name.firstName</c>).</summary>
    public List<string> Attributes { get; set; } = [];

    /// <summary>
    /// Identity namespaces to export as columns <c>identityMap.&lt;namespace&gt;</c> after the attributes (e.g. <c>email</c>,
    /// <c>crmId</c>). Exporting them requires the <see cref="ExportPermission.ViewIdentityGraph"/> permission.
    /// </summary>
    public List<string> IdentityNamespaces { get; set; } = [];

    /// <summary>
    /// Attributes (or identity columns <c>identityMap.&lt;namespace&gt;</c>) a profile must have to be exported; profiles
    /// missing one are skipped and counted by reason.
    /// </summary>
    public List<string> MandatoryAttributes { get; set; } = [];

    /// <summary>The deduplication key; null for none.</summary>
    public DeduplicationKey? Deduplication { get; set; }

    /// <summary>Whether the schedules of this dataflow are on. Default true. Off: only explicit runs export.</summary>
    public bool ScheduleEnabled { get; set; } = true;

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

    /// <summary>The columns of the exported files, in order: attributes, identity columns, then membership status columns.</summary>
    /// <returns>The column names.</returns>
    public IReadOnlyList<string> OutputColumnNames()
    {
        var names = new List<string>(Attributes);
        names.AddRange(IdentityNamespaces.Select(AudienceColumns.Identity));
        if (IncludeMembershipStatus)
        {
            names.Add(AudienceColumns.MembershipStatus);
            names.Add(AudienceColumns.MembershipStatusTime);
        }

        return names;
    }

    /// <summary>Returns a deep copy.</summary>
    /// <returns>The copy.</returns>
    public DataflowDefinition Clone()
    {
        var copy = (DataflowDefinition)MemberwiseClone();
        copy.Attributes = [.. Attributes];
        copy.IdentityNamespaces = [.. IdentityNamespaces];
        copy.MandatoryAttributes = [.. MandatoryAttributes];
        copy.Deduplication = Deduplication is null ? null : new DeduplicationKey
        {
            IdentityNamespace = Deduplication.IdentityNamespace,
            Attributes = [.. Deduplication.Attributes],
        };
        // A null entry (read from JSON) is kept for DataflowValidator to name.
        copy.Audiences = [.. Audiences.Select(a => a?.Clone()!)];
        copy.Output = Output?.Clone();
        return copy;
    }

    /// <summary>The display name, or the id when there is none.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string DisplayName => string.IsNullOrEmpty(Name) ? Id : Name;

    /// <inheritdoc />
    public override string ToString() => $"Dataflow '{Id}'";
}
