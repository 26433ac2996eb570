using System.Collections.Concurrent;

namespace Exports.Sdk.Testing;

/// <summary>Provider of <see cref="InMemoryDestination"/> (type <c>memory</c>); one instance per destination name.</summary>
public sealed class InMemoryDestinationProvider : IDestinationProvider
{
    /// <summary>The provider type name, <c>memory</c>.</summary>
    public const string TypeName = "memory";

    private readonly ConcurrentDictionary<string, InMemoryDestination> _destinations = new(StringComparer.OrdinalIgnoreCase);

    /// <inheritdoc />
    public DestinationDescriptor Descriptor { get; } = new(TypeName, "In memory")
    {
        Description = "Keeps files in memory; for tests.",
        AuthSchemes = ["none"],
    };

    /// <summary>Returns the destination of a name (created on first use).</summary>
    /// <param name="name">The destination name.</param>
    /// <returns>The destination.</returns>
    public InMemoryDestination Get(string name) => _destinations.GetOrAdd(name, n => new InMemoryDestination(n));

    /// <inheritdoc />
    public IReadOnlyList<string> Validate(DestinationDefinition definition) => [];

    /// <inheritdoc />
    public IDestination Create(DestinationDefinition definition, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return Get(definition.Name);
    }
}
