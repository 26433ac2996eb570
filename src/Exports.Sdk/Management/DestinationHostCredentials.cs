namespace Exports.Sdk;

/// <summary>
/// Destinations created at run time sign in with credentials of their own unless the host allows its own identity
/// (<see cref="ExportsOptions.AllowRunTimeHostCredentials"/>): whoever manages destinations could otherwise send the
/// host's tokens to an endpoint of their choosing, log in with the host's key files, or write to and delete from any
/// store the host's identity reaches.
/// </summary>
internal static class DestinationHostCredentials
{
    private const string Rule = "which a destination created at run time may use only when Exports:AllowRunTimeHostCredentials is on";

    /// <summary>Why a destination created at run time may not be used as it is, or null when it may.</summary>
    /// <param name="definition">The destination, secrets in clear (whether a setting is set counts, and whether a file's content is given).</param>
    /// <param name="descriptor">Its provider's catalog entry (null for an unknown type, which is reported elsewhere).</param>
    /// <param name="options">The host's options.</param>
    public static string? Problem(DestinationDefinition definition, DestinationDescriptor? descriptor, ExportsOptions options)
    {
        if (options.AllowRunTimeHostCredentials || descriptor is null)
        {
            return null;
        }

        string? Value(DestinationSettingDescriptor setting) => DestinationSecrets.Value(definition, setting.Name);

        // A value of a setting that takes a file's content or its path, without the content's marker, is a file of this host.
        if (descriptor.Settings.FirstOrDefault(s => s.FileContentMarker is { } marker && Value(s) is { } value && !value.Contains(marker, StringComparison.Ordinal)) is { } path)
        {
            return $"Destination '{definition.Name}': setting '{path.Name}' must hold the content itself in a destination created at run time, not a file path: " +
                $"a path would use a file of this host, {Rule}.";
        }

        var host = descriptor.HostCredentialSchemes;
        var auth = descriptor.Settings.Where(s => s.AuthScheme is not null).ToList();
        bool IsHost(DestinationSettingDescriptor setting) => host.Contains(setting.AuthScheme!, StringComparer.Ordinal);
        if (host.Count == 0 || auth.Any(s => !IsHost(s) && Value(s) is not null))
        {
            // Credentials of its own: the provider signs in with them.
            return null;
        }

        if (auth.FirstOrDefault(s => Value(s) is not null) is { } used)
        {
            var own = descriptor.AuthSchemes.Where(s => !host.Contains(s, StringComparer.Ordinal));
            return $"Destination '{definition.Name}': setting '{used.Name}' signs in with this host's own identity ({used.AuthScheme}), {Rule}; " +
                $"give it credentials of its own ({string.Join(" or ", own)}).";
        }

        // Nothing set: a host scheme without settings of its own (the AWS SDK's default chain) is what the provider falls back to.
        return host.FirstOrDefault(scheme => !auth.Any(s => s.AuthScheme == scheme)) is { } fallback && auth.FirstOrDefault(s => !IsHost(s)) is { } missing
            ? $"Destination '{definition.Name}': setting '{missing.Name}' is required: without credentials of its own the destination would sign in " +
                $"with this host's identity ({fallback}), {Rule}."
            : null;
    }
}
