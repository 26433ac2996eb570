using System.Security.Claims;

namespace Exports.Sdk;

/// <summary>The one way the managers refuse a caller: the policy asked, and a denial that names who, what and where.</summary>
internal static class ExportAuthorizationPolicyExtensions
{
    /// <summary>Throws <see cref="ExportAccessDeniedException"/> unless the caller holds the permission on the destination.</summary>
    /// <param name="policy">The policy.</param>
    /// <param name="caller">The caller.</param>
    /// <param name="permission">The permission the operation needs.</param>
    /// <param name="destination">The destination it touches, or null for none in particular.</param>
    /// <param name="operation">The operation, for the message.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <param name="destinationName">The name to show when <paramref name="destination"/> could not be found.</param>
    public static async Task RequireAsync(
        this IExportAuthorizationPolicy policy, ClaimsPrincipal caller, ExportPermission permission, DestinationDefinition? destination, string operation, CancellationToken cancellationToken, string? destinationName = null)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!await policy.IsAllowedAsync(caller, permission, destination, cancellationToken).ConfigureAwait(false))
        {
            throw new ExportAccessDeniedException(caller.Identity?.Name ?? "(anonymous)", permission, operation, destination?.Name ?? destinationName);
        }
    }

    /// <summary>As above, the destination looked up by name (declared or created at run time).</summary>
    /// <param name="policy">The policy.</param>
    /// <param name="catalog">Where the destination is looked up.</param>
    /// <param name="caller">The caller.</param>
    /// <param name="permission">The permission the operation needs.</param>
    /// <param name="destination">The destination's name, or null (or empty) for none in particular.</param>
    /// <param name="operation">The operation, for the message.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    public static async Task RequireAsync(
        this IExportAuthorizationPolicy policy, IDestinationCatalog catalog, ClaimsPrincipal caller, ExportPermission permission, string? destination, string operation, CancellationToken cancellationToken)
    {
        var definition = await catalog.FindForCheckAsync(destination, cancellationToken).ConfigureAwait(false);
        await policy.RequireAsync(caller, permission, definition, operation, cancellationToken, destination).ConfigureAwait(false);
    }

    /// <summary>
    /// Whether the caller may see an export on the named destination. One they may not see is answered as one that does
    /// not exist (404, not 403), so destination names cannot be probed through exports. Callers refuse a caller without
    /// the view permission at all (403) before they look the export up, so that answer does not depend on the id.
    /// </summary>
    /// <param name="policy">The policy.</param>
    /// <param name="catalog">Where the destination is looked up.</param>
    /// <param name="caller">The caller.</param>
    /// <param name="destination">The export's destination.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    public static async Task<bool> MayViewExportAsync(
        this IExportAuthorizationPolicy policy, IDestinationCatalog catalog, ClaimsPrincipal caller, string? destination, CancellationToken cancellationToken) =>
        await policy.IsAllowedAsync(caller, ExportPermission.ViewDestinations, await catalog.FindForCheckAsync(destination, cancellationToken).ConfigureAwait(false), cancellationToken)
            .ConfigureAwait(false);

    /// <summary>
    /// The destination to check a named one against: null only for no name ("none in particular"). A name that is not
    /// found (a deleted destination) is checked as one shared with no one, so a contributor may neither act on it nor
    /// tell it apart from one not shared with them.
    /// </summary>
    public static async ValueTask<DestinationDefinition?> FindForCheckAsync(this IDestinationCatalog catalog, string? name, CancellationToken cancellationToken) =>
        string.IsNullOrEmpty(name) ? null : ForCheck(name, await catalog.FindDefinitionAsync(name, cancellationToken).ConfigureAwait(false));

    /// <summary>As <see cref="FindForCheckAsync"/>, for a destination already looked up.</summary>
    public static DestinationDefinition? ForCheck(string? name, DestinationDefinition? found) =>
        found ?? (string.IsNullOrEmpty(name) ? null : new DestinationDefinition { Name = name });
}
