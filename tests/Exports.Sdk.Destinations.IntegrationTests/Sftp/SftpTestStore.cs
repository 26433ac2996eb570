using Exports.Sdk.Destinations.IntegrationTests.Infrastructure;
using Exports.Sdk.Destinations.Sftp;
using Renci.SshNet;

namespace Exports.Sdk.Destinations.IntegrationTests.Sftp;

/// <summary>The shared sshd's test user: its home folder is on this machine, so tests read the store's files directly.</summary>
public static class SftpTestStore
{
    /// <summary>Creates a folder under the user's home (through SFTP, so the user owns it) and returns its path relative to home.</summary>
    public static async Task<string> CreateFolderAsync(string name, int? port = null)
    {
        var services = TestServices.Current;
        using var client = new SftpClient(new ConnectionInfo(services.SftpHost, port ?? services.SftpPort, services.SftpUser, new PasswordAuthenticationMethod(services.SftpUser, services.SftpPassword)));
        client.HostKeyReceived += (_, e) => e.CanTrust = true;
        await client.ConnectAsync(CancellationToken.None);
        var path = "upload/" + name;
        await client.CreateDirectoryAsync(path);
        return path;
    }

    public static string LocalPath(string remoteFolder) => Path.Combine(TestServices.Current.SftpHome, remoteFolder);

    /// <summary>Password options pinned to the shared server's host keys, with short timeouts and fast retries.</summary>
    public static SftpDestinationOptions Options(string remotePath, int? port = null, IReadOnlyList<string>? fingerprints = null)
    {
        var services = TestServices.Current;
        var options = new SftpDestinationOptions
        {
            Host = services.SftpHost,
            Port = port ?? services.SftpPort,
            Username = services.SftpUser,
            Password = services.SftpPassword,
            RemotePath = remotePath,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            OperationTimeout = TimeSpan.FromSeconds(30),
            MaxRetryAttempts = 2,
            RetryDelay = TimeSpan.FromMilliseconds(100),
        };
        foreach (var fingerprint in fingerprints ?? services.SftpHostFingerprints)
        {
            options.HostKeyFingerprints.Add(fingerprint);
        }

        return options;
    }

    /// <summary>Every file under a local folder, hidden ones included, relative and '/'-separated.</summary>
    public static IReadOnlyList<string> ListRaw(string localFolder) =>
        Directory.Exists(localFolder)
            ? [.. Directory.EnumerateFiles(localFolder, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
                .Select(f => Path.GetRelativePath(localFolder, f).Replace(Path.DirectorySeparatorChar, '/'))]
            : [];
}
