using Exports.Sdk.Testing;

namespace Exports.Sdk.Tests.Destinations;

public sealed class LocalFolderDestinationConformanceTests : DestinationConformanceTests
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "exports-conformance-" + Guid.NewGuid().ToString("N"));

    protected override ValueTask<IDestination> CreateDestinationAsync() => new(new LocalFolderDestination("local", _root));

    protected override async ValueTask<byte[]?> ReadAsync(string path)
    {
        var full = Path.Combine(_root, path);
        return File.Exists(full) ? await File.ReadAllBytesAsync(full) : null;
    }

    // Every file on disk, the hidden temp files included.
    protected override ValueTask<IReadOnlyList<string>> ListRawAsync() =>
        new(Directory.Exists(_root)
            ? [.. Directory.EnumerateFiles(_root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
                .Select(f => Path.GetRelativePath(_root, f).Replace(Path.DirectorySeparatorChar, '/'))]
            : []);

    // Nothing is committed yet: every byte on disk is the open file's temp file.
    protected override ValueTask<long> StagedBytesAsync(string path, IDestinationWriter writer) =>
        new(Directory.EnumerateFiles(_root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }).Sum(f => new FileInfo(f).Length));

    protected override ValueTask CleanUpAsync()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }

        return ValueTask.CompletedTask;
    }
}
