namespace Exports.Sdk;

/// <summary>The settings of a local-folder destination.</summary>
public sealed class LocalFolderDestinationOptions
{
    /// <summary>The root folder; created if missing. Relative paths are resolved from the working directory.</summary>
    [DestinationSetting("The root folder; created if missing. Relative paths are resolved from the working directory.", IsRequired = true)]
    public string Path { get; set; } = "";

    /// <summary>
    /// Whether each file is flushed to the disk before it is renamed into place, and its folder after, so a file a run
    /// counts as delivered (and a watermark past it) survives a power cut. Default true; a scratch folder can turn it off
    /// to save the wait for the disk.
    /// </summary>
    [DestinationSetting("Whether each file, then its folder, is flushed to the disk before a run counts it as delivered, so it survives a power cut. Turn off only for scratch folders.")]
    public bool FlushToDisk { get; set; } = true;
}
