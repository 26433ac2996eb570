namespace Exports.Sdk.AspNetCore;

/// <summary>The caller as <c>GET me</c> describes it, so a screen shows only what the caller may do.</summary>
/// <param name="Name">The signed-in user's name.</param>
/// <param name="Permissions">The permissions held on destinations in general (a contributor's are narrowed per destination, see <c>GET destinations</c>).</param>
/// <param name="IsReadOnly">Whether this copy of the API refuses every change.</param>
public sealed record CallerInfo(string Name, IReadOnlyList<ExportPermission> Permissions, bool IsReadOnly);
