using System.Security.Claims;

namespace Exports.Sdk;

/// <summary>
/// Decides whether a caller holds a permission, for all destinations or for one.
/// Replace the default (<see cref="RoleExportAuthorizationPolicy"/>) by registering your own implementation.
/// </summary>
public interface IExportAuthorizationPolicy
{
    /// <summary>Whether the caller holds the permission.</summary>
    /// <param name="caller">The caller, as the host authenticated it.</param>
    /// <param name="permission">The permission the operation needs.</param>
    /// <param name="destination">The destination the operation touches, or null for operations on no destination in particular.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns><see langword="true"/> when allowed.</returns>
    ValueTask<bool> IsAllowedAsync(ClaimsPrincipal caller, ExportPermission permission, DestinationDefinition? destination, CancellationToken cancellationToken = default);
}
