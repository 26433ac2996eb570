namespace Exports.Sdk;

/// <summary>The settings of a local-folder destination.</summary>
public sealed class LocalFolderDestinationOptions
{
    /// <summary>The root folder; created if missing. Relative paths are resolved from the working directory.</summary>
    [DestinationSetting("The root folder; created if missing. Relative paths are resolved from the working directory.", IsRequired = true)]
    public string Path { get; set; } = "";
}
