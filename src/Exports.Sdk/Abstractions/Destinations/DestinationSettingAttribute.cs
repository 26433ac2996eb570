namespace Exports.Sdk;

/// <summary>
/// Marks a property of a destination's options type as a setting: bound from <see cref="DestinationDefinition.Settings"/>
/// (configuration or run time), written back by <see cref="DestinationSettingsBinder.Write{TOptions}"/>, and listed in
/// the provider's <see cref="DestinationDescriptor.Settings"/>. The default is the property's initial value.
/// </summary>
/// <param name="description">What the setting is, for the catalog (and a UI's help text).</param>
[AttributeUsage(AttributeTargets.Property, Inherited = true, AllowMultiple = false)]
public sealed class DestinationSettingAttribute(string description) : Attribute
{
    /// <summary>What the setting is.</summary>
    public string Description { get; } = description;

    /// <summary>The setting key. Default: the property name in camel case (<c>PartSize</c> → <c>partSize</c>).</summary>
    public string? Name { get; set; }

    /// <summary>Whether the setting must be present and not blank.</summary>
    public bool IsRequired { get; set; }

    /// <summary>Whether the value is a secret: never logged, repeated in messages, returned by reads or written to manifests.</summary>
    public bool IsSecret { get; set; }

    /// <summary>The authentication scheme this setting belongs to, if it is specific to one.</summary>
    public string? AuthScheme { get; set; }

    /// <summary>
    /// When set, the value may instead be the path of a file on the host: a value without this text (e.g.
    /// <c>-----BEGIN</c> for a PEM or OpenSSH key) is read as a path. A destination created at run time must give the
    /// content unless <see cref="ExportsOptions.AllowRunTimeHostCredentials"/> is on: a path would lend it a file of the
    /// host, such as the host's own key. A form shows such a setting as several lines.
    /// </summary>
    public string? FileContentMarker { get; set; }

    /// <summary>The smallest value allowed, written as in settings (e.g. <c>5MiB</c>, <c>00:00:00.1</c>, <c>1</c>).</summary>
    public string? Minimum { get; set; }

    /// <summary>The largest value allowed, written as in settings.</summary>
    public string? Maximum { get; set; }
}
