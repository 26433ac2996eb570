using Exports.Sdk.Destinations.IntegrationTests.Infrastructure;
using Exports.Sdk.Destinations.Sftp;
using Exports.Sdk.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Exports.Sdk.Destinations.IntegrationTests.Sftp;

/// <summary>The destination conformance suite against the private OpenSSH sshd; the raw listing shows hidden temp files.</summary>
public class SftpConformanceTests : DestinationConformanceTests
{
    private string _folder = "";

    /// <summary>The server's port; the shared sshd here.</summary>
    protected virtual int Port => TestServices.Current.SftpPort;

    /// <summary>The server's host-key fingerprints.</summary>
    protected virtual IReadOnlyList<string> Fingerprints => TestServices.Current.SftpHostFingerprints;

    protected override async ValueTask<IDestination> CreateDestinationAsync()
    {
        _folder = await SftpTestStore.CreateFolderAsync("conformance-" + Guid.NewGuid().ToString("N"), Port);
        var definition = new DestinationDefinition { Name = "sftp-conformance", Type = SftpDestinationProvider.TypeName };
        DestinationSettingsBinder.Write(SftpTestStore.Options(_folder, Port, Fingerprints), definition.Settings);
        var provider = new SftpDestinationProvider();
        provider.Validate(definition).Should().BeEmpty();
        return provider.Create(definition, new ServiceCollection().BuildServiceProvider());
    }

    protected override async ValueTask<byte[]?> ReadAsync(string path)
    {
        var local = Path.Combine(SftpTestStore.LocalPath(_folder), path);
        return File.Exists(local) ? await File.ReadAllBytesAsync(local) : null;
    }

    protected override ValueTask<IReadOnlyList<string>> ListRawAsync() => new(SftpTestStore.ListRaw(SftpTestStore.LocalPath(_folder)));

    // The server's folder is on this machine; nothing is committed yet, so every byte there is the open file's temp file.
    protected override ValueTask<long> StagedBytesAsync(string path, IDestinationWriter writer) =>
        new(Directory.EnumerateFiles(SftpTestStore.LocalPath(_folder), "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }).Sum(f => new FileInfo(f).Length));

    protected override ValueTask CleanUpAsync()
    {
        var local = SftpTestStore.LocalPath(_folder);
        if (_folder.Length > 0 && Directory.Exists(local))
        {
            Directory.Delete(local, recursive: true);
        }

        return ValueTask.CompletedTask;
    }
}
