namespace Exports.Sdk;

/// <summary>
/// The secret settings of destinations created at run time: which settings are secret (from the provider's catalog
/// entry), protecting them before they are stored, keeping a stored one when an update leaves it out, unprotecting
/// them to create the destination, and reading them back only as "set" or "not set".
/// </summary>
internal sealed class DestinationSecrets(IEnumerable<IDestinationProvider> providers, ISecretProtector? protector = null)
{
    /// <summary>Marks a stored value as protected text, never a secret in clear.</summary>
    private const string Prefix = "protected:";

    private readonly IDestinationProvider[] _providers = [.. providers];

    /// <summary>The names of the secret settings of a destination type.</summary>
    public IReadOnlySet<string> SecretNames(string type) =>
        (Descriptor(type)?.Settings ?? []).Where(s => s.IsSecret).Select(s => s.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The clear settings to validate, test or save: the given ones, with each secret the input leaves out taken from
    /// <paramref name="stored"/> (unprotected) — but only for the same connection and the same way of signing in. When
    /// another setting changed (a host, a bucket, an endpoint), a stored secret is not reused: the caller would send it
    /// to a server of their choosing without ever knowing it. A secret of an auth scheme the input no longer uses is
    /// dropped, so the scheme can change.
    /// </summary>
    /// <exception cref="ExportValidationException">A stored secret would be reused for a changed connection.</exception>
    public DestinationDefinition Merge(DestinationDefinition input, DestinationDefinition? stored)
    {
        var merged = input.Clone();
        if (stored is null)
        {
            return merged;
        }

        var settings = Descriptor(input.Type)?.Settings ?? [];
        var changed = settings.Where(s => !s.IsSecret && !string.Equals(Value(input, s.Name), Value(stored, s.Name), StringComparison.Ordinal))
            .Select(s => s.Name).ToList();
        var schemes = settings.Where(s => s.AuthScheme is not null && Value(input, s.Name) is not null).Select(s => s.AuthScheme!).ToHashSet(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var setting in settings.Where(s => s.IsSecret && Value(input, s.Name) is null && Value(stored, s.Name) is not null))
        {
            if (setting.AuthScheme is { } scheme && schemes.Count > 0 && !schemes.Contains(scheme))
            {
                continue;
            }

            if (changed.Count > 0)
            {
                problems.Add($"Destination '{input.Name}': setting '{setting.Name}' must be entered again: {string.Join(", ", changed.Select(c => $"'{c}'"))} changed, and a stored secret is only reused for the same connection.");
                continue;
            }

            merged.Settings[setting.Name] = Reveal(stored.Settings.First(p => string.Equals(p.Key, setting.Name, StringComparison.OrdinalIgnoreCase)).Value!, stored.Name, setting.Name);
        }

        return problems.Count > 0 ? throw new ExportValidationException(problems) : merged;
    }

    /// <summary>The catalog entry of a destination type (case-insensitive), or null for an unknown type.</summary>
    public DestinationDescriptor? Descriptor(string type) =>
        _providers.FirstOrDefault(p => string.Equals(p.Descriptor.Type, type, StringComparison.OrdinalIgnoreCase))?.Descriptor;

    /// <summary>A setting's value, empty as null (settings compare case-insensitively by name).</summary>
    public static string? Value(DestinationDefinition definition, string name) =>
        definition.Settings.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value is { Length: > 0 } value ? value : null;

    /// <summary>The definition to store: every secret setting protected, empty ones dropped.</summary>
    /// <exception cref="ExportValidationException">A secret is set and no <see cref="ISecretProtector"/> is registered.</exception>
    public DestinationDefinition Protect(DestinationDefinition clear)
    {
        var stored = clear.Clone();
        foreach (var name in SecretNames(clear.Type))
        {
            if (stored.Settings.GetValueOrDefault(name) is not { Length: > 0 } secret)
            {
                stored.Settings.Remove(name);
                continue;
            }

            if (protector is null)
            {
                throw new ExportValidationException(
                    $"Destination '{clear.Name}': Settings:{name} is a secret, and no secret protector is registered to store it encrypted. " +
                    "Call AddExports().ProtectSecretsWithDataProtection() (package Exports.Sdk.DataProtection).");
            }

            stored.Settings[name] = Prefix + protector.Protect(secret);
        }

        return stored;
    }

    /// <summary>
    /// The definition to create the destination from: every stored secret back in clear. Only settings the catalog
    /// marks secret are decrypted: protected text pasted into another setting (a user name, a bucket) stays as it is,
    /// or the host would decrypt any ciphertext into messages and requests of the caller's choosing.
    /// </summary>
    public DestinationDefinition Unprotect(DestinationDefinition stored)
    {
        var clear = stored.Clone();
        var secretNames = SecretNames(stored.Type);
        foreach (var (name, value) in stored.Settings)
        {
            if (secretNames.Contains(name) && value is { Length: > 0 } && value.StartsWith(Prefix, StringComparison.Ordinal))
            {
                clear.Settings[name] = Reveal(value, stored.Name, name);
            }
        }

        return clear;
    }

    /// <summary>What a read shows: the settings without the secrets, and for each secret setting whether it is set.</summary>
    public (Dictionary<string, string?> Settings, Dictionary<string, bool> Secrets) Mask(DestinationDefinition definition)
    {
        var secretNames = SecretNames(definition.Type);
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in definition.Settings)
        {
            // A value that is protected text is a secret whatever the catalog says (e.g. a provider since removed).
            if (!secretNames.Contains(name) && value?.StartsWith(Prefix, StringComparison.Ordinal) != true)
            {
                settings[name] = value;
            }
        }

        var secrets = secretNames.ToDictionary(name => name, name => definition.Settings.GetValueOrDefault(name) is { Length: > 0 }, StringComparer.OrdinalIgnoreCase);
        return (settings, secrets);
    }

    private string Reveal(string value, string destination, string setting)
    {
        if (!value.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return value;
        }

        if (protector is null)
        {
            throw new ExportValidationException($"Destination '{destination}': Settings:{setting} is stored encrypted, and no secret protector is registered to read it.");
        }

        try
        {
            return protector.Unprotect(value[Prefix.Length..]);
        }
        catch (System.Security.Cryptography.CryptographicException ex)
        {
            // The key ring differs (another host without the shared keys, or keys lost): say so, never the text.
            throw new ExportValidationException($"Destination '{destination}': Settings:{setting} cannot be decrypted on this host ({ex.GetType().Name}): its key ring does not hold the key it was protected with. Share the key ring between hosts (docs/destinations/managing.md).");
        }
    }
}
