namespace Exports.Sdk;

/// <summary>
/// Destinations created at run time sign in with credentials of their own unless the host allows its own identity
/// (<see cref="ExportsOptions.AllowRunTimeHostCredentials"/>): whoever manages destinations could otherwise send the
/// host's tokens to an endpoint of their choosing, or write to and delete from any store the host's identity reaches.
/// </summary>
internal static class DestinationHostCredentials
{
    /// <summary>Why a destination created at run time may not be used as it is, or null when it may.</summary>
    /// <param name="definition">The destination, secrets in clear or protected (only whether a setting is set counts).</param>
    /// <param name="descriptor">Its provider's catalog entry (null for an unknown type, which is reported elsewhere).</param>
    /// <param name="options">The host's options.</param>
    public static string? Problem(DestinationDefinition definition, DestinationDescriptor? descriptor, ExportsOptions options)
    {
        if (options.AllowRunTimeHostCredentials || descriptor is not { HostCredentialSchemes.Count: > 0 } entry)
        {
            return null;
        }

        bool IsHost(DestinationSettingDescriptor setting) => entry.HostCredentialSchemes.Contains(setting.AuthScheme!, StringComparer.Ordinal);
        bool IsSet(DestinationSettingDescriptor setting) =>
            definition.Settings.Any(p => string.Equals(p.Key, setting.Name, StringComparison.OrdinalIgnoreCase) && !string.IsNullOrWhiteSpace(p.Value));
        var auth = entry.Settings.Where(s => s.AuthScheme is not null).ToList();
        var own = entry.AuthSchemes.Where(s => !entry.HostCredentialSchemes.Contains(s, StringComparer.Ordinal)).ToList();
        const string Rule = "which a destination created at run time may use only when Exports:AllowRunTimeHostCredentials is on";
        if (auth.FirstOrDefault(s => IsHost(s) && IsSet(s)) is { } host)
        {
            return $"Destination '{definition.Name}': setting '{host.Name}' signs in with this host's own identity ({host.AuthScheme}), {Rule}; " +
                $"give it credentials of its own ({string.Join(" or ", own)}).";
        }

        // Nothing set falls back to the host's identity (the AWS SDK's default chain), unless the provider has no such fallback.
        return auth.Any(IsSet) || auth.FirstOrDefault(s => !IsHost(s)) is not { } missing
            ? null
            : $"Destination '{definition.Name}': setting '{missing.Name}' is required: without credentials of its own the destination would sign in " +
                $"with this host's identity ({entry.HostCredentialSchemes[0]}), {Rule}.";
    }
}
