namespace Exports.Sdk;

/// <summary>The local-folder destination provider (type <c>local</c>), built into the core package.</summary>
public sealed class LocalFolderDestinationProvider() : DestinationProvider<LocalFolderDestinationOptions>(new DestinationDescriptor(TypeName, "Local folder")
{
    Description = "Writes files into a folder of the local file system (or a mounted share). Files appear by atomic rename, flushed to the disk first by default.",
    AuthSchemes = ["none"],
})
{
    /// <summary>The provider type name, <c>local</c>.</summary>
    public const string TypeName = "local";

    /// <inheritdoc />
    protected override IDestination CreateDestination(DestinationDefinition definition, LocalFolderDestinationOptions options, IServiceProvider services) =>
        new LocalFolderDestination(definition.Name, options.Path, options.FlushToDisk);
}
