namespace Exports.Sdk;

/// <summary>
/// Role claim values the default policy understands (claims of type <see cref="System.Security.Claims.ClaimTypes.Role"/>).
/// </summary>
public static class ExportRoles
{
    /// <summary>Everything, on every destination, including identity columns and managing destinations.</summary>
    public const string Administrator = "exports.administrator";

    /// <summary>Only destinations shared with the caller: view exports on View shares, edit and run them on Edit shares.</summary>
    public const string Contributor = "exports.contributor";

    /// <summary>View only: destinations, exports and runs.</summary>
    public const string Viewer = "exports.viewer";
}
