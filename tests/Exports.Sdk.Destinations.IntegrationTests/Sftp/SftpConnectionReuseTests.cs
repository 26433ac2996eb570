using Exports.Sdk.Destinations.IntegrationTests.Infrastructure;
using Exports.Sdk.Destinations.Sftp;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Exports.Sdk.Destinations.IntegrationTests.Sftp;

/// <summary>
/// Connections are kept for the next operation when their work ended cleanly: the SDK's own log line for every new
/// connection (SftpConnected, event 2201) counts the handshakes, and files are read back from the server's folder.
/// </summary>
public sealed class SftpConnectionReuseTests
{
    private const int ConnectedEvent = 2201;

    [Fact]
    public async Task RunAsync_SeveralFilesAndTheManifest_ShareOneConnection_AndTheNextRunReusesIt()
    {
        var folder = await SftpTestStore.CreateFolderAsync("reuse-" + Guid.NewGuid().ToString("N"));
        var local = SftpTestStore.LocalPath(folder);
        await using var app = Harness(folder, port: null);
        try
        {
            var first = await app.RunAsync(new ExportRunRequest { ScheduledTime = new DateTimeOffset(2026, 3, 1, 6, 0, 0, TimeSpan.Zero) });

            var manifest = await VerifyAsync(first, local);
            manifest.ExportResults.Should().HaveCount(3, "30,000 members at 10,000 a file");
            Connections(app).Should().Be(1, "three files and the manifest are written one after the other");
            ((SftpDestination)app.Destination).IdleConnections.Should().Be(1);

            var second = await app.RunAsync(new ExportRunRequest { ScheduledTime = new DateTimeOffset(2026, 3, 2, 6, 0, 0, TimeSpan.Zero) });

            await VerifyAsync(second, local);
            Connections(app).Should().Be(1, "the next run within the idle time uses the same connection");
        }
        finally
        {
            Directory.Delete(local, recursive: true);
        }
    }

    [Fact]
    public async Task RunAsync_ServerRestartedWhileTheConnectionWasIdle_ConnectsAgainAndExports()
    {
        await using var server = await PrivateServer.StartSshdAsync();
        var folder = await SftpTestStore.CreateFolderAsync("reuse-restart-" + Guid.NewGuid().ToString("N"), server.Port);
        var local = SftpTestStore.LocalPath(folder);
        await using var app = Harness(folder, server.Port);
        try
        {
            await VerifyAsync(await app.RunAsync(new ExportRunRequest { ScheduledTime = new DateTimeOffset(2026, 3, 1, 6, 0, 0, TimeSpan.Zero) }), local);
            ((SftpDestination)app.Destination).IdleConnections.Should().Be(1);

            // The idle connection's server goes away (its session with it) and comes back.
            await server.KillAsync();
            await server.RestartAsync();
            var second = await app.RunAsync(new ExportRunRequest { ScheduledTime = new DateTimeOffset(2026, 3, 2, 6, 0, 0, TimeSpan.Zero) });

            await VerifyAsync(second, local);
            Connections(app).Should().Be(2, "the dead connection is not used; a new one is made");
        }
        finally
        {
            Directory.Delete(local, recursive: true);
        }
    }

    [Fact]
    public async Task Writer_AbandonedWithoutCommit_ClosesItsConnection_AndAnIdleOneIsClosedAfterTheIdleTime()
    {
        var folder = await SftpTestStore.CreateFolderAsync("reuse-idle-" + Guid.NewGuid().ToString("N"));
        var local = SftpTestStore.LocalPath(folder);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var logs = new CapturingLoggerProvider();
        // No retries: their delays would wait on the fake clock.
        var options = SftpTestStore.Options(folder);
        options.MaxRetryAttempts = 0;
        using var destination = new SftpDestination("idle", options, time, logs.CreateLogger("sftp"));
        try
        {
            await using (var abandoned = await destination.OpenWriteAsync("abandoned.csv"))
            {
                await abandoned.Stream.WriteAsync(new byte[100_000]);
            }

            destination.IdleConnections.Should().Be(0, "an upload that was not committed may still have requests in flight");

            await using (var kept = await destination.OpenWriteAsync("kept.csv"))
            {
                await kept.Stream.WriteAsync("id\n1\n"u8.ToArray());
                await kept.CommitAsync();
            }

            destination.IdleConnections.Should().Be(1);
            (await File.ReadAllTextAsync(Path.Combine(local, "kept.csv"))).Should().Be("id\n1\n");
            SftpTestStore.ListRaw(local).Should().Equal(["kept.csv"], "the abandoned file was removed");

            time.Advance(SftpConnectionPool.IdleTimeout - TimeSpan.FromSeconds(1));
            destination.IdleConnections.Should().Be(1);
            time.Advance(TimeSpan.FromSeconds(2));
            destination.IdleConnections.Should().Be(0, "an idle connection is closed after the idle time");

            await destination.DeleteAsync("kept.csv");
            SftpTestStore.ListRaw(local).Should().BeEmpty();
            logs.Lines.Count(l => l.EventId.Id == ConnectedEvent).Should().Be(3, "the abandoned writer's, the kept one's, and a new one after the idle time");
        }
        finally
        {
            Directory.Delete(local, recursive: true);
        }
    }

    [Fact]
    public async Task Operation_ThatFails_ClosesItsConnectionAndTheIdleOnes()
    {
        var folder = await SftpTestStore.CreateFolderAsync("reuse-fail-" + Guid.NewGuid().ToString("N"));
        var local = SftpTestStore.LocalPath(folder);
        using var logs = new CapturingLoggerProvider();
        using var destination = new SftpDestination("fail", SftpTestStore.Options(folder), TimeProvider.System, logs.CreateLogger("sftp"));
        try
        {
            // Two files open at once: two connections, both kept.
            await using (var first = await destination.OpenWriteAsync("a.csv"))
            await using (var second = await destination.OpenWriteAsync("c.csv"))
            {
                await first.Stream.WriteAsync("id\n1\n"u8.ToArray());
                await second.Stream.WriteAsync("id\n2\n"u8.ToArray());
                await first.CommitAsync();
                await second.CommitAsync();
            }

            destination.IdleConnections.Should().Be(2);

            var move = async () => await destination.MoveAsync("missing.csv", "b.csv");

            (await move.Should().ThrowAsync<DestinationException>()).Which.Message.Should().Contain("missing.csv");
            destination.IdleConnections.Should().Be(0, "a failure may be the server going away, so no kept connection is trusted after it");
            await destination.MoveAsync("a.csv", "b.csv");
            SftpTestStore.ListRaw(local).Order(StringComparer.Ordinal).Should().Equal(["b.csv", "c.csv"]);
            logs.Lines.Count(l => l.EventId.Id == ConnectedEvent).Should().Be(3, "two for the files, one after the failure");
        }
        finally
        {
            Directory.Delete(local, recursive: true);
        }
    }

    [Fact]
    public async Task Destination_KeepsAtMostFourIdleConnections_AndClosesThemWhenDisposed()
    {
        var folder = await SftpTestStore.CreateFolderAsync("reuse-cap-" + Guid.NewGuid().ToString("N"));
        var local = SftpTestStore.LocalPath(folder);
        using var logs = new CapturingLoggerProvider();
        var destination = new SftpDestination("cap", SftpTestStore.Options(folder), TimeProvider.System, logs.CreateLogger("sftp"));
        var writers = new List<IDestinationWriter>();
        try
        {
            // Five files open at once: five connections.
            for (var i = 0; i < 5; i++)
            {
                writers.Add(await destination.OpenWriteAsync($"f{i}.csv"));
            }

            foreach (var writer in writers)
            {
                await writer.Stream.WriteAsync("id\n1\n"u8.ToArray());
                await writer.CommitAsync();
                await writer.DisposeAsync();
            }

            SftpTestStore.ListRaw(local).Should().HaveCount(5);
            logs.Lines.Count(l => l.EventId.Id == ConnectedEvent).Should().Be(5);
            destination.IdleConnections.Should().Be(SftpConnectionPool.MaxIdle);

            destination.Dispose();

            destination.IdleConnections.Should().Be(0);
        }
        finally
        {
            foreach (var writer in writers)
            {
                await writer.DisposeAsync();
            }

            destination.Dispose();
            Directory.Delete(local, recursive: true);
        }
    }

    private static ExportHarness Harness(string folder, int? port) =>
        ExportHarness.Create(b => b.AddSftpDestination(ExportHarness.DestinationName, sftp =>
        {
            var o = SftpTestStore.Options(folder, port);
            (sftp.Host, sftp.Port, sftp.Username, sftp.Password, sftp.RemotePath) = (o.Host, o.Port, o.Username, o.Password, o.RemotePath);
            (sftp.MaxRetryAttempts, sftp.RetryDelay) = (o.MaxRetryAttempts, o.RetryDelay);
            foreach (var fingerprint in o.HostKeyFingerprints)
            {
                sftp.HostKeyFingerprints.Add(fingerprint);
            }
        }, d => d.Output.MaxRowsPerFile = 10_000), members: 30_000);

    private static int Connections(ExportHarness app) => app.Logs.Lines.Count(l => l.EventId.Id == ConnectedEvent);

    private static Task<ExportManifest> VerifyAsync(ExportRunResult result, string local) =>
        ExportVerifier.VerifyAsync(result, path => Task.FromResult<Stream>(File.OpenRead(Path.Combine(local, path))));
}
