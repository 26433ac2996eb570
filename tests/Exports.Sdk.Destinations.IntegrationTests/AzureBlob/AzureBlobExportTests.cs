using System.Diagnostics;
using Azure.Storage.Blobs.Models;
using Exports.Sdk.Destinations.IntegrationTests.Infrastructure;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Exports.Sdk.Destinations.IntegrationTests.AzureBlob;

public sealed class AzureBlobExportTests(ITestOutputHelper output)
{
    [Fact]
    public async Task RunAsync_LargeGzipCsvExport_RoundTripsByteForByteWithManifestChecksums()
    {
        var container = await AzureTestStore.ContainerAsync();
        var prefix = "export-" + Guid.NewGuid().ToString("N");
        await using var app = ExportHarness.Create(b => b.AddAzureBlobDestination(ExportHarness.DestinationName, blob =>
        {
            blob.ConnectionString = TestServices.Current.AzuriteConnectionString;
            blob.Container = container.Name;
            blob.Prefix = prefix;
        }, LargeExport.Configure), LargeExport.Members);

        var watch = Stopwatch.StartNew();
        var result = await app.RunAsync(new ExportRunRequest { ScheduledTime = LargeExport.ScheduledTime });
        var exported = watch.Elapsed;
        var manifest = await ExportVerifier.VerifyAsync(result, async path => await container.GetBlobClient(prefix + "/" + path).OpenReadAsync());

        var bytes = manifest.ExportResults.Sum(f => f.Size);
        output.WriteLine($"Azure: {manifest.ExportResults.Count} files, {bytes / 1e6:0.0} MB gzip, exported in {exported.TotalSeconds:0.0} s ({bytes / 1e6 / exported.TotalSeconds:0.0} MB/s), verified in {(watch.Elapsed - exported).TotalSeconds:0.0} s");
        manifest.ExportResults.Should().HaveCountGreaterThan(1);
        manifest.ExportResults.Sum(f => f.Rows).Should().Be(LargeExport.Members);
        var blobs = await AzureTestStore.ListAsync(container, prefix + "/", BlobStates.Uncommitted);
        blobs.Select(b => b.Name[(prefix.Length + 1)..]).Order(StringComparer.Ordinal)
            .Should().Equal(manifest.ExportResults.Select(f => f.SinkPath).Append(result.ManifestPath!).Order(StringComparer.Ordinal));
        foreach (var file in manifest.ExportResults)
        {
            // Several staged blocks, all committed, and the whole file's MD5 stored for readers.
            var blob = container.GetBlockBlobClient(prefix + "/" + file.SinkPath);
            var blocks = (await blob.GetBlockListAsync(BlockListTypes.All)).Value;
            blocks.CommittedBlocks.Should().HaveCountGreaterThan(1);
            blocks.UncommittedBlocks.Should().BeEmpty();
            (await blob.GetPropertiesAsync()).Value.ContentHash.Should().NotBeNullOrEmpty();
        }
    }
}
