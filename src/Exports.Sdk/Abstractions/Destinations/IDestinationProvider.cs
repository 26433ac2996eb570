namespace Exports.Sdk;

/// <summary>
/// A plug-in that knows one kind of storage. Register it with <c>AddDestinationProvider</c>; destinations whose
/// <see cref="DestinationDefinition.Type"/> equals <see cref="DestinationDescriptor.Type"/> are created by it.
/// </summary>
public interface IDestinationProvider
{
    /// <summary>The provider's catalog entry.</summary>
    DestinationDescriptor Descriptor { get; }

    /// <summary>
    /// Checks a definition's settings and returns every problem found (empty when valid). Called at start-up.
    /// Messages name the destination and the setting, never a secret's value.
    /// </summary>
    /// <param name="definition">The destination definition.</param>
    /// <returns>The problems, empty when valid.</returns>
    IReadOnlyList<string> Validate(DestinationDefinition definition);

    /// <summary>Creates the destination described by a definition.</summary>
    /// <param name="definition">The destination definition, already validated.</param>
    /// <param name="services">The application's services (for loggers, <see cref="TimeProvider"/>, credentials).</param>
    /// <returns>The destination.</returns>
    IDestination Create(DestinationDefinition definition, IServiceProvider services);
}
