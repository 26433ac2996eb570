using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using Exports.Sdk.Destinations.AzureBlob;
using Exports.Sdk.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Exports.Sdk.Destinations.IntegrationTests.AzureBlob;

/// <summary>The destination conformance suite against Azurite, with 1 MiB blocks (the large file spans 4 blocks).</summary>
public sealed class AzureBlobConformanceTests : DestinationConformanceTests
{
    private readonly string _prefix = "conformance/" + Guid.NewGuid().ToString("N");
    private BlobContainerClient _container = null!;

    protected override int LargeFileSize => (int)(3.5 * (1 << 20));

    protected override async ValueTask<IDestination> CreateDestinationAsync()
    {
        _container = await AzureTestStore.ContainerAsync();
        var definition = new DestinationDefinition { Name = "azure-conformance", Type = AzureBlobDestinationProvider.TypeName };
        DestinationSettingsBinder.Write(AzureTestStore.Options(_container.Name, _prefix), definition.Settings);
        var provider = new AzureBlobDestinationProvider();
        provider.Validate(definition).Should().BeEmpty();
        return provider.Create(definition, new ServiceCollection().BuildServiceProvider());
    }

    protected override async ValueTask<byte[]?> ReadAsync(string path) => await AzureTestStore.ReadAsync(_container, _prefix + "/" + path);

    // The blob's staged (uncommitted) blocks.
    protected override async ValueTask<long> StagedBytesAsync(string path, IDestinationWriter writer)
    {
        var blob = _container.GetBlockBlobClient(_prefix + "/" + path);
        var blocks = await blob.GetBlockListAsync(Azure.Storage.Blobs.Models.BlockListTypes.Uncommitted);
        return blocks.Value.UncommittedBlocks.Sum(b => b.SizeLong);
    }

    // Committed blobs: a blob that has only staged blocks is invisible to readers and listings.
    protected override async ValueTask<IReadOnlyList<string>> ListRawAsync() =>
        [.. (await AzureTestStore.ListAsync(_container, _prefix + "/")).Select(b => b.Name[(_prefix.Length + 1)..])];
}
