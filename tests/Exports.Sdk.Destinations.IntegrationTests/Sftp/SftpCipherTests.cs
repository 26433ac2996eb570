using Exports.Sdk.Destinations.IntegrationTests.Infrastructure;
using Exports.Sdk.Destinations.Sftp;
using Microsoft.Extensions.DependencyInjection;

namespace Exports.Sdk.Destinations.IntegrationTests.Sftp;

/// <summary>
/// The cipher the destination agrees on, as the server itself logs it (sshd at DEBUG1): AES-GCM where the server offers
/// it, the next cipher SSH.NET offers where it does not; the export is read back from the server's folder either way.
/// </summary>
public sealed class SftpCipherTests : IAsyncLifetime
{
    private string _folder = "";

    public async Task InitializeAsync() => _folder = await SftpTestStore.CreateFolderAsync("cipher-" + Guid.NewGuid().ToString("N"));

    public Task DisposeAsync()
    {
        Directory.Delete(SftpTestStore.LocalPath(_folder), recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Export_AgreesOnAesGcm_WhenTheServerOffersIt()
    {
        await using var server = await PrivateServer.StartSshdAsync(settings: "LogLevel DEBUG1");

        var (app, result) = await ExportAsync(server);
        await using (app)
        {
            await ExportVerifier.VerifyAsync(result, path => Task.FromResult<Stream>(File.OpenRead(Path.Combine(SftpTestStore.LocalPath(_folder), path))));
            (await ServerCiphersAsync(server)).Should().NotBeEmpty().And.OnlyContain(c => c == "aes128-gcm@openssh.com");
            app.Logs.Lines.Should().Contain(l => l.EventId.Id == 2201 && l.Message.Contains("cipher aes128-gcm@openssh.com", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Export_FallsBackToAesCtr_WhenTheServerHasNoAesGcm()
    {
        await using var server = await PrivateServer.StartSshdAsync(settings: ["LogLevel DEBUG1", "Ciphers aes256-ctr,aes128-ctr"]);

        var (app, result) = await ExportAsync(server);
        await using (app)
        {
            await ExportVerifier.VerifyAsync(result, path => Task.FromResult<Stream>(File.OpenRead(Path.Combine(SftpTestStore.LocalPath(_folder), path))));
            (await ServerCiphersAsync(server)).Should().NotBeEmpty().And.OnlyContain(c => c == "aes128-ctr");
            app.Logs.Lines.Should().Contain(l => l.EventId.Id == 2201 && l.Message.Contains("cipher aes128-ctr", StringComparison.Ordinal));
        }
    }

    private async Task<(ExportHarness App, ExportRunResult Result)> ExportAsync(PrivateServer server)
    {
        var app = ExportHarness.Create(b => b.AddSftpDestination(ExportHarness.DestinationName, sftp =>
        {
            var o = SftpTestStore.Options(_folder, server.Port);
            (sftp.Host, sftp.Port, sftp.Username, sftp.Password, sftp.RemotePath) = (o.Host, o.Port, o.Username, o.Password, o.RemotePath);
            foreach (var fingerprint in o.HostKeyFingerprints)
            {
                sftp.HostKeyFingerprints.Add(fingerprint);
            }
        }), members: 2_000);
        return (app, await app.RunAsync(new ExportRunRequest()));
    }

    /// <summary>The client-to-server cipher of every session, from sshd's "kex: client->server cipher: …" lines.</summary>
    private static async Task<List<string>> ServerCiphersAsync(PrivateServer server)
    {
        const string marker = "kex: client->server cipher: ";
        var lines = await File.ReadAllLinesAsync(server.LogFile!);
        return [.. lines.Where(l => l.Contains(marker, StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf(marker, StringComparison.Ordinal) + marker.Length)..].Split(' ')[0])];
    }
}
