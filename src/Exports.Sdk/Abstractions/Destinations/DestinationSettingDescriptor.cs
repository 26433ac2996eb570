namespace Exports.Sdk;

/// <summary>One setting a destination provider reads from <see cref="DestinationDefinition.Settings"/>.</summary>
/// <param name="Name">The setting key (case-insensitive), e.g. <c>bucket</c>.</param>
/// <param name="Description">What the setting is, including its default.</param>
public sealed record DestinationSettingDescriptor(string Name, string Description)
{
    /// <summary>Whether the setting must be present.</summary>
    public bool IsRequired { get; init; }

    /// <summary>Whether the value is a secret: never logged, shown or written to manifests.</summary>
    public bool IsSecret { get; init; }

    /// <summary>The value used when the setting is absent, if any.</summary>
    public string? DefaultValue { get; init; }

    /// <summary>The authentication scheme this setting belongs to, if it is specific to one.</summary>
    public string? AuthScheme { get; init; }

    /// <summary>The text that marks a value as content rather than the path of a file on the host (see <see cref="DestinationSettingAttribute.FileContentMarker"/>); null when the setting takes no path.</summary>
    public string? FileContentMarker { get; init; }
}
