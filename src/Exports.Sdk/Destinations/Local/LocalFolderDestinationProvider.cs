namespace Exports.Sdk;

/// <summary>The local-folder destination provider (type <c>local</c>), built into the core package.</summary>
public sealed class LocalFolderDestinationProvider : IDestinationProvider
{
    /// <summary>The provider type name, <c>local</c>.</summary>
    public const string TypeName = "local";

    /// <summary>The setting holding the root folder.</summary>
    public const string PathSetting = "path";

    /// <inheritdoc />
    public DestinationDescriptor Descriptor { get; } = new(TypeName, "Local folder")
    {
        Description = "Writes files into a folder of the local file system (or a mounted share). Files appear by atomic rename.",
        Settings =
        [
            new DestinationSettingDescriptor(PathSetting, "The root folder; created if missing. Relative paths are resolved from the working directory.") { IsRequired = true },
        ],
        AuthSchemes = ["none"],
    };

    /// <inheritdoc />
    public IReadOnlyList<string> Validate(DestinationDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (!definition.Settings.TryGetValue(PathSetting, out var path) || string.IsNullOrWhiteSpace(path))
        {
            return [$"Destination '{definition.Name}': setting '{PathSetting}' (the root folder) is required."];
        }

        return [];
    }

    /// <inheritdoc />
    public IDestination Create(DestinationDefinition definition, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return new LocalFolderDestination(definition.Name, definition.Settings[PathSetting]!);
    }
}
