using Exports.Sdk.Destinations.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Exports.Sdk.Destinations.IntegrationTests.Sftp;

public sealed class SftpFaultTests
{
    [Theory]
    [InlineData("sshd")]
    [InlineData("proftpd")]
    public async Task RunAsync_ServerKilledMidUpload_FailsWithNothingVisible_AndRerunPublishesTheFilesOnce(string kind)
    {
        var proftpd = kind == "proftpd";
        await using var server = proftpd ? await PrivateServer.StartProftpdAsync() : await PrivateServer.StartSshdAsync();
        var folder = await SftpTestStore.CreateFolderAsync("fault-" + Guid.NewGuid().ToString("N"), server.Port);
        var local = SftpTestStore.LocalPath(folder);
        await using var app = ExportHarness.Create(b => b.AddSftpDestination(ExportHarness.DestinationName, sftp =>
        {
            var o = SftpTestStore.Options(folder, server.Port, proftpd ? TestServices.Current.ProftpdHostFingerprints : null);
            (sftp.Host, sftp.Port, sftp.Username, sftp.Password, sftp.RemotePath) = (o.Host, o.Port, o.Username, o.Password, o.RemotePath);
            (sftp.ConnectTimeout, sftp.OperationTimeout, sftp.MaxRetryAttempts, sftp.RetryDelay) = (TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(5), 2, TimeSpan.FromMilliseconds(200));
            foreach (var fingerprint in o.HostKeyFingerprints)
            {
                sftp.HostKeyFingerprints.Add(fingerprint);
            }
        }, FaultExport.Configure), FaultExport.Members);
        var killer = new KillWhenWritten(server, FaultExport.KillAfterBytes);

        try
        {
            var failed = await app.RunAsync(FaultExport.Request, killer);

            killer.Killed.Should().BeTrue();
            FaultExport.ShouldHaveFailedCleanly(failed, app.Logs, retryEventId: 2200, TestServices.Current.SftpPassword);
            failed.Errors[0].Should().MatchRegex("connection to 127.0.0.1:[0-9]+ (was lost|failed)|cannot connect");

            await server.RestartAsync();
            // The server was gone, so a hidden temp file may remain; nothing a reader lists or picks up.
            (await ListAsync(app.Destination)).Should().BeEmpty();
            SftpTestStore.ListRaw(local).Should().OnlyContain(name => name.StartsWith(".exports-tmp-", StringComparison.Ordinal));
            (await app.Store.GetRunAsync("flow", failed.RunId))!.LeftoverWrites.Select(w => w.Token)
                .Should().BeEquivalentTo(SftpTestStore.ListRaw(local), "the temp file the abort could not delete is on record");

            // Another slot, other file names: only the record can lead the next run to the old temp file.
            var rerun = await app.RunAsync(FaultExport.Request with { RunId = "fault-run-0002", ScheduledTime = FaultExport.Request.ScheduledTime!.Value.AddDays(1) });

            var manifest = await ExportVerifier.VerifyAsync(rerun, path => Task.FromResult<Stream>(File.OpenRead(Path.Combine(local, path))));
            manifest.ExportResults.Sum(f => f.Rows).Should().Be(FaultExport.Members);
            SftpTestStore.ListRaw(local).Order(StringComparer.Ordinal)
                .Should().Equal(manifest.ExportResults.Select(f => f.SinkPath).Append(rerun.ManifestPath!).Order(StringComparer.Ordinal), "each file exists once and the stale temp file is gone");
            (await app.Store.GetRunAsync("flow", failed.RunId))!.LeftoverWrites.Should().BeEmpty();
            if (proftpd)
            {
                app.Logs.AllText.Should().Contain("does not offer posix-rename@openssh.com", "this server takes the fallback");
            }
        }
        finally
        {
            if (Directory.Exists(local))
            {
                Directory.Delete(local, recursive: true);
            }
        }
    }

    private static async Task<List<DestinationFile>> ListAsync(IDestination destination)
    {
        var files = new List<DestinationFile>();
        await foreach (var file in destination.ListAsync(""))
        {
            files.Add(file);
        }

        return files;
    }
}
