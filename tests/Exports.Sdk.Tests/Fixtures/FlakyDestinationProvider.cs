
namespace Exports.Sdk.Tests.Fixtures;

/// <summary>
/// A destination provider (type <c>flaky</c>) over local folders whose destinations fail on demand: every data file,
/// or only manifests (a crash after the data files but before the manifest).
/// </summary>
internal sealed class FlakyDestinationProvider : IDestinationProvider
{
    public const string TypeName = "flaky";

    public DestinationDescriptor Descriptor { get; } = new(TypeName, "Flaky local folder")
    {
        Settings = [new DestinationSettingDescriptor("path", "Root folder.") { IsRequired = true }],
    };

    public bool FailDataFiles { get; set; }

    public bool FailManifests { get; set; }

    /// <summary>Data files after this many opened ones fail (a server that goes away mid-export).</summary>
    public int? FailDataFilesAfter { get; set; }

    /// <summary>Deletes fail: the server is away, so a rollback cannot remove what it committed.</summary>
    public bool FailDeletes { get; set; }

    /// <summary>Commits of data files after this many fail (the connection drops as a part is published).</summary>
    public int? FailDataCommitsAfter { get; set; }

    private int _dataFilesOpened;
    private int _dataCommits;

    public IReadOnlyList<string> Validate(DestinationDefinition definition) => [];

    public IDestination Create(DestinationDefinition definition, IServiceProvider services) =>
        new Flaky(this, new LocalFolderDestination(definition.Name, definition.Settings["path"]!));

    private sealed class Flaky(FlakyDestinationProvider owner, LocalFolderDestination inner) : IDestination
    {
        public string Name => inner.Name;

        public ValueTask<IDestinationWriter> OpenWriteAsync(string path, CancellationToken cancellationToken = default)
        {
            var isManifest = Path.GetFileName(path).StartsWith("manifest-", StringComparison.Ordinal);
            var afterLimit = !isManifest && owner.FailDataFilesAfter is { } limit && Interlocked.Increment(ref owner._dataFilesOpened) > limit;
            if ((isManifest && owner.FailManifests) || (!isManifest && owner.FailDataFiles) || afterLimit)
            {
                throw new DestinationException($"Destination '{Name}': the store is down (simulated).", isTransient: true);
            }

            return isManifest || owner.FailDataCommitsAfter is null ? inner.OpenWriteAsync(path, cancellationToken) : OpenFailingCommitAsync(path, cancellationToken);
        }

        private async ValueTask<IDestinationWriter> OpenFailingCommitAsync(string path, CancellationToken cancellationToken) =>
            new FailingCommit(owner, await inner.OpenWriteAsync(path, cancellationToken));

        public IAsyncEnumerable<DestinationFile> ListAsync(string prefix, CancellationToken cancellationToken = default) => inner.ListAsync(prefix, cancellationToken);

        public ValueTask DeleteAsync(string path, CancellationToken cancellationToken = default) =>
            owner.FailDeletes
                ? throw new DestinationException($"Destination '{Name}': the store is down (simulated); '{path}' was not deleted.", isTransient: true)
                : inner.DeleteAsync(path, cancellationToken);

        public ValueTask<ConnectionTestResult> TestConnectionAsync(CancellationToken cancellationToken = default) => inner.TestConnectionAsync(cancellationToken);
    }

    private sealed class FailingCommit(FlakyDestinationProvider owner, IDestinationWriter inner) : IDestinationWriter
    {
        public Stream Stream => inner.Stream;

        public ValueTask CommitAsync(CancellationToken cancellationToken = default) =>
            Interlocked.Increment(ref owner._dataCommits) > owner.FailDataCommitsAfter
                ? throw new DestinationException("The connection dropped while the file was published (simulated).", isTransient: true)
                : inner.CommitAsync(cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
