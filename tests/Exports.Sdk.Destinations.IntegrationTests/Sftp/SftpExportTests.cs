using System.Diagnostics;
using Exports.Sdk.Destinations.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Exports.Sdk.Destinations.IntegrationTests.Sftp;

public sealed class SftpExportTests(ITestOutputHelper output)
{
    [Fact]
    public async Task RunAsync_LargeGzipCsvExport_RoundTripsByteForByteWithManifestChecksums()
    {
        var folder = await SftpTestStore.CreateFolderAsync("export-" + Guid.NewGuid().ToString("N"));
        var local = SftpTestStore.LocalPath(folder);
        await using var app = ExportHarness.Create(b => b.AddSftpDestination(ExportHarness.DestinationName, sftp =>
        {
            var options = SftpTestStore.Options(folder);
            sftp.Host = options.Host;
            sftp.Port = options.Port;
            sftp.Username = options.Username;
            sftp.PrivateKey = TestServices.Current["SFTP_KEY_ED25519"];
            sftp.RemotePath = folder;
            foreach (var fingerprint in options.HostKeyFingerprints)
            {
                sftp.HostKeyFingerprints.Add(fingerprint);
            }
        }, d =>
        {
            LargeExport.Configure(d);
            d.FolderPath = "nested/out";
        }), LargeExport.Members);

        try
        {
            var watch = Stopwatch.StartNew();
            var result = await app.RunAsync(new ExportRunRequest { ScheduledTime = LargeExport.ScheduledTime });
            var exported = watch.Elapsed;
            var manifest = await ExportVerifier.VerifyAsync(result, path => Task.FromResult<Stream>(File.OpenRead(Path.Combine(local, path))));

            var bytes = manifest.ExportResults.Sum(f => f.Size);
            output.WriteLine($"SFTP: {manifest.ExportResults.Count} files, {bytes / 1e6:0.0} MB gzip, exported in {exported.TotalSeconds:0.0} s ({bytes / 1e6 / exported.TotalSeconds:0.0} MB/s), verified in {(watch.Elapsed - exported).TotalSeconds:0.0} s");
            manifest.ExportResults.Should().HaveCountGreaterThan(1);
            manifest.ExportResults.Sum(f => f.Rows).Should().Be(LargeExport.Members);
            // Hidden temp files included: only the published files are there.
            SftpTestStore.ListRaw(local).Order(StringComparer.Ordinal)
                .Should().Equal(manifest.ExportResults.Select(f => f.SinkPath).Append(result.ManifestPath!).Order(StringComparer.Ordinal));
        }
        finally
        {
            Directory.Delete(local, recursive: true);
        }
    }
}
