using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Exports.Sdk.Destinations.AzureBlob;
using Exports.Sdk.Destinations.IntegrationTests.Infrastructure;

namespace Exports.Sdk.Destinations.IntegrationTests.AzureBlob;

/// <summary>Raw access to Azurite, and a container for this test run.</summary>
public static class AzureTestStore
{
    private static readonly Lazy<Task<BlobContainerClient>> SharedContainer = new(() => CreateContainerAsync(TestServices.Current.AzuriteConnectionString));

    public static Task<BlobContainerClient> ContainerAsync() => SharedContainer.Value;

    public static async Task<BlobContainerClient> CreateContainerAsync(string connectionString)
    {
        var container = new BlobServiceClient(connectionString).GetBlobContainerClient("exports-it-" + Guid.NewGuid().ToString("N")[..12]);
        await container.CreateAsync();
        return container;
    }

    /// <summary>Connection-string options with 1 MiB blocks and fast retries.</summary>
    public static AzureBlobDestinationOptions Options(string container, string prefix, string? connectionString = null) => new()
    {
        ConnectionString = connectionString ?? TestServices.Current.AzuriteConnectionString,
        Container = container,
        Prefix = prefix,
        BlockSize = 1 << 20,
        MaxRetryAttempts = 2,
        RetryDelay = TimeSpan.FromMilliseconds(100),
        RequestTimeout = TimeSpan.FromSeconds(30),
    };

    public static async Task<byte[]?> ReadAsync(BlobContainerClient container, string blobName)
    {
        try
        {
            var content = await container.GetBlobClient(blobName).DownloadContentAsync();
            return content.Value.Content.ToArray();
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    public static async Task<List<BlobItem>> ListAsync(BlobContainerClient container, string prefix, BlobStates states = BlobStates.None)
    {
        var all = new List<BlobItem>();
        await foreach (var item in container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix, States = states }))
        {
            all.Add(item);
        }

        return all;
    }
}
