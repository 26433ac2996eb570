using Exports.Sdk;

namespace CustomDestination.ChunkStore;

/// <summary>The provider of type <c>chunk-store</c>: one setting, the store's folder.</summary>
public sealed class ChunkStoreProvider() : DestinationProvider(new DestinationDescriptor("chunk-store", "Chunk store")
{
    Settings = [new DestinationSettingDescriptor("root", "The store's folder") { IsRequired = true }],
})
{
    protected override IDestination CreateDestination(DestinationDefinition definition, IServiceProvider services) =>
        new ChunkStoreDestination(definition.Name, definition.Settings["root"]!);
}
