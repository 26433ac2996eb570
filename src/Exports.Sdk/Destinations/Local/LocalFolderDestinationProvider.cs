namespace Exports.Sdk;

/// <summary>The local-folder destination provider (type <c>local</c>), built into the core package.</summary>
public sealed class LocalFolderDestinationProvider() : DestinationProvider(new DestinationDescriptor(TypeName, "Local folder")
{
    Description = "Writes files into a folder of the local file system (or a mounted share). Files appear by atomic rename.",
    Settings =
    [
        new DestinationSettingDescriptor(PathSetting, "The root folder; created if missing. Relative paths are resolved from the working directory") { IsRequired = true },
    ],
    AuthSchemes = ["none"],
})
{
    /// <summary>The provider type name, <c>local</c>.</summary>
    public const string TypeName = "local";

    /// <summary>The setting holding the root folder.</summary>
    public const string PathSetting = "path";

    /// <inheritdoc />
    protected override IDestination CreateDestination(DestinationDefinition definition, IServiceProvider services) =>
        new LocalFolderDestination(definition.Name, definition.Settings[PathSetting]!);
}
