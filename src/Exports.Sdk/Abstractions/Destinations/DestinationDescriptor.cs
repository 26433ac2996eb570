namespace Exports.Sdk;

/// <summary>A destination provider's catalog entry: what it is and which settings it takes.</summary>
/// <param name="Type">The provider type name used in <see cref="DestinationDefinition.Type"/>, e.g. <c>local</c>.</param>
/// <param name="DisplayName">A human-readable name, e.g. <c>Local folder</c>.</param>
public sealed record DestinationDescriptor(string Type, string DisplayName)
{
    /// <summary>A short description of the provider.</summary>
    public string? Description { get; init; }

    /// <summary>The settings the provider requires and accepts.</summary>
    public IReadOnlyList<DestinationSettingDescriptor> Settings { get; init; } = [];

    /// <summary>The authentication schemes the provider supports (e.g. <c>accessKey</c>, <c>sasUrl</c>).</summary>
    public IReadOnlyList<string> AuthSchemes { get; init; } = [];

    /// <summary>
    /// Those of <see cref="AuthSchemes"/> that sign in with the host's own identity rather than credentials in the settings
    /// (e.g. a token credential registered in code, the cloud SDK's default credential chain). A destination created at
    /// run time may use them only when <see cref="ExportsOptions.AllowRunTimeHostCredentials"/> is on. A scheme with no
    /// settings of its own (the AWS SDK's default chain) is taken to be what the provider falls back to when none of its
    /// auth settings is set.
    /// </summary>
    public IReadOnlyList<string> HostCredentialSchemes { get; init; } = [];
}
