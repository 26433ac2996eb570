using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Exports.Sdk.Destinations.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Exports.Sdk.Destinations.IntegrationTests.AzureBlob;

public sealed class AzureBlobFaultTests
{
    [Fact]
    public async Task RunAsync_ServerKilledMidUpload_FailsWithNothingVisible_AndRerunCommitsTheFilesOnce()
    {
        await using var server = await PrivateServer.StartAzuriteAsync();
        var services = TestServices.Current;
        var connectionString = services.AzuriteConnectionString.Replace($":{services["AZURITE_PORT"]}/", $":{server.Port}/", StringComparison.Ordinal);
        var container = await AzureTestStore.CreateContainerAsync(connectionString);
        await using var app = ExportHarness.Create(b => b.AddAzureBlobDestination(ExportHarness.DestinationName, blob =>
        {
            (blob.ConnectionString, blob.Container, blob.Prefix, blob.BlockSize) = (connectionString, container.Name, "fault", 4 << 20);
            (blob.MaxRetryAttempts, blob.RetryDelay, blob.RequestTimeout) = (2, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(5));
        }, FaultExport.Configure), FaultExport.Members);
        var killer = new KillWhenWritten(server, FaultExport.KillAfterBytes);

        var failed = await app.RunAsync(FaultExport.Request, killer);

        killer.Killed.Should().BeTrue();
        FaultExport.ShouldHaveFailedCleanly(failed, app.Logs, retryEventId: 2100, services.AzuriteKey);
        failed.Errors[0].Should().Contain("cannot reach the Blob endpoint");

        await server.RestartAsync();
        // Azurite saves its metadata every few seconds: a SIGKILL may lose the container (and staged blocks) as well.
        await container.CreateIfNotExistsAsync();
        (await AzureTestStore.ListAsync(container, "")).Should().BeEmpty("a blob with only staged blocks is invisible");

        var rerun = await app.RunAsync(FaultExport.Request);

        var manifest = await ExportVerifier.VerifyAsync(rerun, async path => await container.GetBlobClient("fault/" + path).OpenReadAsync());
        manifest.ExportResults.Sum(f => f.Rows).Should().Be(FaultExport.Members);
        var all = await AzureTestStore.ListAsync(container, "", BlobStates.Uncommitted);
        all.Select(b => b.Name).Order(StringComparer.Ordinal)
            .Should().Equal(manifest.ExportResults.Select(f => "fault/" + f.SinkPath).Append("fault/" + rerun.ManifestPath).Order(StringComparer.Ordinal), "each file exists once");
        foreach (var file in manifest.ExportResults)
        {
            // The commit discarded the blocks the killed attempt had staged.
            var blocks = (await container.GetBlockBlobClient("fault/" + file.SinkPath).GetBlockListAsync(BlockListTypes.Uncommitted)).Value;
            blocks.UncommittedBlocks.Should().BeEmpty();
        }
    }
}
