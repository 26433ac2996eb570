using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Exports.Sdk;

/// <summary>
/// Destinations declared in code or configuration (through <see cref="IOptionsMonitor{TOptions}"/>, so a reload is
/// seen) and created at run time (read from the store on each lookup), each created by its provider once per version
/// of its definition.
/// </summary>
internal sealed class DestinationCatalog(
    IEnumerable<IDestinationProvider> providers,
    IOptionsMonitor<ExportsOptions> options,
    DestinationSecrets secrets,
    IServiceProvider services) : IDestinationCatalog
{
    /// <summary>Resolved on first use: listing providers must not open the store (its options may not be valid yet).</summary>
    private IExportStore Store => services.GetRequiredService<IExportStore>();

    private readonly IDestinationProvider[] _providers = [.. providers];

    /// <summary>Per name: the version the instance was created for, and the instance.</summary>
    private readonly ConcurrentDictionary<string, (string Version, Lazy<IDestination> Destination)> _destinations = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyList<DestinationDescriptor> Providers => [.. _providers.Select(p => p.Descriptor)];

    public IReadOnlyList<DestinationDefinition> Destinations => [.. options.CurrentValue.Destinations.Values];

    public DestinationDefinition GetDefinition(string name) =>
        options.CurrentValue.Destinations.TryGetValue(name, out var definition)
            ? definition
            : throw new ExportValidationException(
                $"There is no destination '{name}'. Configured destinations: {string.Join(", ", options.CurrentValue.Destinations.Keys.Order(StringComparer.Ordinal))}.");

    public IDestination GetDestination(string name)
    {
        var definition = GetDefinition(name);
        return Instance(definition, ConfigurationVersion(definition), () => definition);
    }

    public async ValueTask<DestinationDefinition?> FindDefinitionAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (options.CurrentValue.Destinations.TryGetValue(name, out var configured))
        {
            return configured;
        }

        return (await Store.GetDestinationAsync(name, cancellationToken).ConfigureAwait(false))?.Definition;
    }

    public async ValueTask<IDestination> GetDestinationAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (options.CurrentValue.Destinations.ContainsKey(name))
        {
            return GetDestination(name);
        }

        var stored = await Store.GetDestinationAsync(name, cancellationToken).ConfigureAwait(false)
            ?? throw new ExportValidationException($"There is no destination '{name}'.");
        // Checked on use too: the host may have turned AllowRunTimeHostCredentials off since the destination was saved.
        if (DestinationHostCredentials.Problem(stored.Definition, secrets.Descriptor(stored.Definition.Type), options.CurrentValue) is { } hostCredentials)
        {
            throw new ExportValidationException(hostCredentials);
        }

        return Instance(stored.Definition, "stored-" + stored.ETag, () => secrets.Unprotect(stored.Definition));
    }

    /// <summary>Creates a destination from settings that are not stored (a connection test before saving).</summary>
    public IDestination CreateUnstored(DestinationDefinition definition) => Create(definition);

    private IDestination Instance(DestinationDefinition definition, string version, Func<DestinationDefinition> clear)
    {
        var entry = _destinations.AddOrUpdate(definition.Name,
            _ => (version, new Lazy<IDestination>(() => Create(clear()))),
            (_, current) => current.Version == version ? current : (version, new Lazy<IDestination>(() => Create(clear()))));
        return entry.Destination.Value;
    }

    /// <summary>A declared definition's content: it changes only when configuration is reloaded with other values.</summary>
    private static string ConfigurationVersion(DestinationDefinition definition) =>
        "config-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
            JsonSerializer.SerializeToUtf8Bytes(definition, ExportStoreJsonContext.Default.DestinationDefinition)));

    private IDestination Create(DestinationDefinition definition)
    {
        var provider = _providers.FirstOrDefault(p => string.Equals(p.Descriptor.Type, definition.Type, StringComparison.OrdinalIgnoreCase))
            ?? throw new ExportValidationException($"Destination '{definition.Name}': Type '{definition.Type}' has no registered provider.");
        var problems = provider.Validate(definition);
        if (problems.Count > 0)
        {
            throw new ExportValidationException(problems);
        }

        return provider.Create(definition, services);
    }
}
