namespace Exports.Sdk;

/// <summary>Every registered destination provider (custom ones included) and every configured destination.</summary>
public interface IDestinationCatalog
{
    /// <summary>The registered providers' descriptors: type, display name, settings, auth schemes.</summary>
    IReadOnlyList<DestinationDescriptor> Providers { get; }

    /// <summary>The configured destinations.</summary>
    IReadOnlyList<DestinationDefinition> Destinations { get; }

    /// <summary>Returns a configured destination's definition.</summary>
    /// <param name="name">The destination name (case-insensitive).</param>
    /// <returns>The definition.</returns>
    /// <exception cref="ExportValidationException">There is no such destination.</exception>
    DestinationDefinition GetDefinition(string name);

    /// <summary>Returns a configured destination, created once by its provider.</summary>
    /// <param name="name">The destination name (case-insensitive).</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ExportValidationException">There is no such destination.</exception>
    IDestination GetDestination(string name);
}
