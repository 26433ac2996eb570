namespace Exports.Sdk;

/// <summary>The permissions operations check (as in the platforms the SDK is modelled on).</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "The product calls them permissions.")]
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<ExportPermission>))]
public enum ExportPermission
{
    /// <summary>See destinations and the exports (dataflows) and runs on them.</summary>
    ViewDestinations,

    /// <summary>Create, edit and delete destinations.</summary>
    ManageDestinations,

    /// <summary>Create and edit exports, add audiences, switch schedules and run exports.</summary>
    ActivateDestinations,

    /// <summary>Read profile attributes (needed to export them).</summary>
    ViewProfiles,

    /// <summary>Read audiences (segments).</summary>
    ViewSegments,

    /// <summary>Read identities; needed to export identity columns.</summary>
    ViewIdentityGraph,

    /// <summary>Manage and activate dataset destinations: create, edit, schedule and run dataset exports.</summary>
    ManageDatasetExports,
}
