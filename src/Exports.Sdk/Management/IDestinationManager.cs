using System.Security.Claims;

namespace Exports.Sdk;

/// <summary>
/// Destinations managed while the host runs: created, read, edited with an ETag, shared with contributors, tested
/// before they are saved and deleted, each call checked by the <see cref="IExportAuthorizationPolicy"/> (reads need
/// <see cref="ExportPermission.ViewDestinations"/>, changes <see cref="ExportPermission.ManageDestinations"/>). Secret
/// settings are stored encrypted (<see cref="ISecretProtector"/>) and never read back. Destinations declared in code
/// or configuration are listed, read-only. Runs pick up an edit from their next start.
/// </summary>
public interface IDestinationManager
{
    /// <summary>Lists the destinations the caller may see, declared and created at run time, by name.</summary>
    /// <param name="caller">Who asks.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The destinations.</returns>
    Task<IReadOnlyList<ManagedDestination>> ListAsync(ClaimsPrincipal caller, CancellationToken cancellationToken = default);

    /// <summary>Gets a destination.</summary>
    /// <param name="caller">Who asks.</param>
    /// <param name="name">The destination's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The destination, or null when there is none.</returns>
    /// <exception cref="ExportAccessDeniedException">The caller may not see it.</exception>
    Task<ManagedDestination?> GetAsync(ClaimsPrincipal caller, string name, CancellationToken cancellationToken = default);

    /// <summary>Creates a destination from its type's settings (secrets in clear; they are stored encrypted).</summary>
    /// <param name="caller">Who asks.</param>
    /// <param name="destination">The destination.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The created destination.</returns>
    /// <exception cref="ExportValidationException">A setting, the name, the folder or the output is not valid; every problem is named.</exception>
    /// <exception cref="ExportConcurrencyException">A destination of that name exists.</exception>
    /// <exception cref="ExportAccessDeniedException">The caller may not manage destinations.</exception>
    Task<ManagedDestination> CreateAsync(ClaimsPrincipal caller, DestinationDefinition destination, CancellationToken cancellationToken = default);

    /// <summary>Replaces a destination created at run time; a secret setting left out (or empty) keeps the stored one.</summary>
    /// <param name="caller">Who asks.</param>
    /// <param name="destination">The new definition (same name).</param>
    /// <param name="etag">The ETag read with the version being replaced.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The updated destination.</returns>
    /// <exception cref="ExportNotFoundException">There is no such destination.</exception>
    /// <exception cref="ExportValidationException">The definition is not valid, or the destination is declared in configuration.</exception>
    /// <exception cref="ExportConcurrencyException">It was changed since <paramref name="etag"/> was read.</exception>
    /// <exception cref="ExportAccessDeniedException">The caller may not manage it.</exception>
    Task<ManagedDestination> UpdateAsync(ClaimsPrincipal caller, DestinationDefinition destination, string etag, CancellationToken cancellationToken = default);

    /// <summary>Shares a destination with a contributor, changes what for, or stops sharing it.</summary>
    /// <param name="caller">Who asks.</param>
    /// <param name="name">The destination's name.</param>
    /// <param name="contributor">The contributor's user name.</param>
    /// <param name="access">View or Edit; null stops sharing.</param>
    /// <param name="etag">The ETag read with the current version.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The updated destination.</returns>
    /// <exception cref="ExportNotFoundException">There is no such destination.</exception>
    /// <exception cref="ExportConcurrencyException">It was changed since <paramref name="etag"/> was read.</exception>
    /// <exception cref="ExportAccessDeniedException">The caller may not manage it.</exception>
    Task<ManagedDestination> ShareAsync(ClaimsPrincipal caller, string name, string contributor, DestinationAccess? access, string etag, CancellationToken cancellationToken = default);

    /// <summary>Deletes a destination created at run time; refused, naming them, while any export uses it.</summary>
    /// <param name="caller">Who asks.</param>
    /// <param name="name">The destination's name.</param>
    /// <param name="etag">The ETag read with the current version.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    /// <exception cref="ExportNotFoundException">There is no such destination.</exception>
    /// <exception cref="ExportValidationException">Exports use it, or it is declared in configuration.</exception>
    /// <exception cref="ExportConcurrencyException">It was changed since <paramref name="etag"/> was read.</exception>
    /// <exception cref="ExportAccessDeniedException">The caller may not manage it.</exception>
    Task DeleteAsync(ClaimsPrincipal caller, string name, string etag, CancellationToken cancellationToken = default);

    /// <summary>
    /// Tests a connection before it is saved: write access with the fewest rights the store allows, naming what is
    /// missing. Secret settings left out are taken from the stored destination of that name, so an edit can be tested.
    /// Nothing is stored.
    /// </summary>
    /// <param name="caller">Who asks.</param>
    /// <param name="destination">The settings to test.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>What succeeded, or which permission or setting is wrong.</returns>
    /// <exception cref="ExportValidationException">The settings are not valid; every problem is named.</exception>
    /// <exception cref="ExportAccessDeniedException">The caller may not manage destinations.</exception>
    Task<ConnectionTestResult> TestAsync(ClaimsPrincipal caller, DestinationDefinition destination, CancellationToken cancellationToken = default);
}
