using System.Security.Claims;

namespace Exports.Sdk;

/// <summary>
/// The default policy, from role claims (<see cref="ExportRoles"/>):
/// <list type="bullet">
/// <item><description>administrator: every permission on every destination;</description></item>
/// <item><description>contributor: view destinations, profiles and segments on destinations shared with the caller
/// (<see cref="DestinationDefinition.SharedWith"/>), activate (edit and run exports) on those shared for
/// <see cref="DestinationAccess.Edit"/>, dataset exports included; never manage destinations or view identities;</description></item>
/// <item><description>viewer: view destinations and segments;</description></item>
/// <item><description>anyone else, including an unauthenticated caller: nothing.</description></item>
/// </list>
/// </summary>
public sealed class RoleExportAuthorizationPolicy : IExportAuthorizationPolicy
{
    /// <inheritdoc />
    public ValueTask<bool> IsAllowedAsync(ClaimsPrincipal caller, ExportPermission permission, DestinationDefinition? destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.Identity is not { IsAuthenticated: true })
        {
            return ValueTask.FromResult(false);
        }

        if (caller.IsInRole(ExportRoles.Administrator))
        {
            return ValueTask.FromResult(true);
        }

        if (caller.IsInRole(ExportRoles.Contributor))
        {
            var access = destination is null ? DestinationAccess.View : SharedAccess(caller, destination);
            var allowed = permission switch
            {
                ExportPermission.ViewDestinations or ExportPermission.ViewProfiles or ExportPermission.ViewSegments => access is not null,
                ExportPermission.ActivateDestinations or ExportPermission.ManageDatasetExports => access == DestinationAccess.Edit || (destination is null),
                _ => false,
            };
            return ValueTask.FromResult(allowed);
        }

        if (caller.IsInRole(ExportRoles.Viewer))
        {
            return ValueTask.FromResult(permission is ExportPermission.ViewDestinations or ExportPermission.ViewSegments);
        }

        return ValueTask.FromResult(false);
    }

    private static DestinationAccess? SharedAccess(ClaimsPrincipal caller, DestinationDefinition destination)
    {
        DestinationAccess? best = null;
        foreach (var principal in Principals(caller))
        {
            if (destination.SharedWith.TryGetValue(principal, out var access) && (best is null || access > best))
            {
                best = access;
            }
        }

        return best;
    }

    private static IEnumerable<string> Principals(ClaimsPrincipal caller)
    {
        if (caller.Identity?.Name is { Length: > 0 } name)
        {
            yield return name;
        }

        foreach (var claim in caller.Claims)
        {
            if (claim.Type is ClaimTypes.Role or "groups" or ClaimTypes.GroupSid)
            {
                yield return claim.Value;
            }
        }
    }
}
