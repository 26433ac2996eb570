namespace Exports.Sdk;

/// <summary>
/// Every registered destination provider (custom ones included) and every destination: those declared in code or
/// configuration (reloaded when configuration changes) and those created at run time (<see cref="IDestinationManager"/>).
/// </summary>
public interface IDestinationCatalog
{
    /// <summary>The registered providers' descriptors: type, display name, settings, auth schemes.</summary>
    IReadOnlyList<DestinationDescriptor> Providers { get; }

    /// <summary>The destinations declared in code or configuration.</summary>
    IReadOnlyList<DestinationDefinition> Destinations { get; }

    /// <summary>Returns the definition of a destination declared in code or configuration.</summary>
    /// <param name="name">The destination name (case-insensitive).</param>
    /// <returns>The definition.</returns>
    /// <exception cref="ExportValidationException">There is no such destination.</exception>
    DestinationDefinition GetDefinition(string name);

    /// <summary>Returns a destination declared in code or configuration, created by its provider once per version of its definition.</summary>
    /// <param name="name">The destination name (case-insensitive).</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ExportValidationException">There is no such destination.</exception>
    IDestination GetDestination(string name);

    /// <summary>
    /// Finds a destination declared in code or configuration, or else created at run time (read from the store on
    /// each call). The secret settings of one created at run time hold protected text, never the secret.
    /// </summary>
    /// <param name="name">The destination name (case-insensitive).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The definition, or null when there is none.</returns>
    ValueTask<DestinationDefinition?> FindDefinitionAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>
    /// Returns a destination, declared or created at run time, for its current definition: an edit or a configuration
    /// reload applies from the next call on, while whoever holds the previous instance (a run in progress) keeps it.
    /// </summary>
    /// <param name="name">The destination name (case-insensitive).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The destination.</returns>
    /// <exception cref="ExportValidationException">There is no such destination, or its definition is not valid.</exception>
    ValueTask<IDestination> GetDestinationAsync(string name, CancellationToken cancellationToken = default);
}
