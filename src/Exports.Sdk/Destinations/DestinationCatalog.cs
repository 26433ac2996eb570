using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Exports.Sdk;

/// <summary>Creates destinations from their definitions through the registered providers, once per name.</summary>
internal sealed class DestinationCatalog(
    IEnumerable<IDestinationProvider> providers,
    IOptions<ExportsOptions> options,
    IServiceProvider services) : IDestinationCatalog
{
    private readonly IDestinationProvider[] _providers = [.. providers];
    private readonly ConcurrentDictionary<string, Lazy<IDestination>> _destinations = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyList<DestinationDescriptor> Providers => [.. _providers.Select(p => p.Descriptor)];

    public IReadOnlyList<DestinationDefinition> Destinations => [.. options.Value.Destinations.Values];

    public DestinationDefinition GetDefinition(string name) =>
        options.Value.Destinations.TryGetValue(name, out var definition)
            ? definition
            : throw new ExportValidationException(
                $"There is no destination '{name}'. Configured destinations: {string.Join(", ", options.Value.Destinations.Keys.Order(StringComparer.Ordinal))}.");

    public IDestination GetDestination(string name)
    {
        var definition = GetDefinition(name);
        return _destinations.GetOrAdd(name, _ => new Lazy<IDestination>(() => Create(definition))).Value;
    }

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
