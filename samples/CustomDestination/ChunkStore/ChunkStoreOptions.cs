using Exports.Sdk;

namespace CustomDestination.ChunkStore;

/// <summary>The settings of a chunk store, bound from the destination's settings (<c>root</c>).</summary>
public sealed class ChunkStoreOptions
{
    [DestinationSetting("The store's folder.", IsRequired = true)]
    public string Root { get; set; } = "";
}
