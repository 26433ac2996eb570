using Exports.Sdk.Destinations.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace Exports.Sdk.Destinations.IntegrationTests.Sftp;

/// <summary>
/// Issue 16: a partner's drop folder the export user may write into but not list (mode 0300 on the server) passes the
/// connection test, which names the missing right, and receives exports.
/// </summary>
public sealed class SftpWriteOnlyTests
{
    [Fact]
    public async Task AWriteOnlyFolder_PassesTheConnectionTestNamingWhatIsMissing_AndReceivesAnExport()
    {
        var folder = await SftpTestStore.CreateFolderAsync("write-only-" + Guid.NewGuid().ToString("N"));
        var local = SftpTestStore.LocalPath(folder);
        var services = TestServices.Current;
        using (var owner = new SftpClient(new ConnectionInfo(services.SftpHost, services.SftpPort, services.SftpUser, new PasswordAuthenticationMethod(services.SftpUser, services.SftpPassword))))
        {
            owner.HostKeyReceived += (_, e) => e.CanTrust = true;
            await owner.ConnectAsync(CancellationToken.None);
            // -wx------: create, rename and delete entries, but not read the directory.
            owner.ChangePermissions(folder, 300); // SSH.NET reads the digits as octal
            var list = () => owner.ListDirectory(folder).ToList();
            list.Should().Throw<SftpPermissionDeniedException>("the folder really is write-only");
        }

        await using var app = ExportHarness.Create(b => b.AddSftpDestination(ExportHarness.DestinationName, sftp =>
        {
            var options = SftpTestStore.Options(folder);
            (sftp.Host, sftp.Port, sftp.Username, sftp.Password, sftp.RemotePath) = (options.Host, options.Port, options.Username, options.Password, folder);
            foreach (var fingerprint in options.HostKeyFingerprints)
            {
                sftp.HostKeyFingerprints.Add(fingerprint);
            }
        }, _ => { }), 10_000);
        try
        {
            var test = await app.Destination.TestConnectionAsync();
            var result = await app.RunAsync(new ExportRunRequest());

            test.Succeeded.Should().BeTrue(test.Message);
            test.Message.Should().Contain("listing the folder is not permitted");
            test.MissingPermission.Should().Be("list");
            result.Status.Should().Be(ExportRunStatus.Succeeded, string.Join("; ", result.Errors));
            var manifest = await ExportVerifier.VerifyAsync(result, path => Task.FromResult<Stream>(File.OpenRead(Path.Combine(local, path))));
            manifest.ExportResults.Sum(f => f.Rows).Should().Be(10_000);
        }
        finally
        {
            Directory.Delete(local, recursive: true);
        }
    }
}
