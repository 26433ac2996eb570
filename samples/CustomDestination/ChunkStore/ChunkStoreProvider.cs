using Exports.Sdk;

namespace CustomDestination.ChunkStore;

/// <summary>The provider of type <c>chunk-store</c>: one setting, the store's folder.</summary>
public sealed class ChunkStoreProvider() : DestinationProvider<ChunkStoreOptions>(new DestinationDescriptor("chunk-store", "Chunk store"))
{
    protected override IDestination CreateDestination(DestinationDefinition definition, ChunkStoreOptions options, IServiceProvider services) =>
        new ChunkStoreDestination(definition.Name, options.Root);
}
