using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Exports.Sdk.Testing;

namespace Exports.Sdk.ClusterTests;

/// <summary>Shared by every host of a test: in-memory files, with the number of commits per path (a duplicate shows as 2).</summary>
internal sealed class CountingDestinationProvider : IDestinationProvider
{
    private readonly InMemoryDestinationProvider _inner = new();

    public ConcurrentDictionary<string, int> Commits { get; } = new();

    public DestinationDescriptor Descriptor => _inner.Descriptor;

    public InMemoryDestination Files => _inner.Get(ClusterHost.DestinationName);

    public IReadOnlyList<string> Validate(DestinationDefinition definition) => _inner.Validate(definition);

    public IDestination Create(DestinationDefinition definition, IServiceProvider services) => new Counting(_inner.Create(definition, services), this);

    private sealed class Counting(IDestination inner, CountingDestinationProvider owner) : IDestination
    {
        public string Name => inner.Name;

        public async ValueTask<IDestinationWriter> OpenWriteAsync(string path, CancellationToken cancellationToken = default) =>
            new Writer(await inner.OpenWriteAsync(path, cancellationToken), path, owner);

        public async IAsyncEnumerable<DestinationFile> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await foreach (var file in inner.ListAsync(prefix, cancellationToken))
            {
                yield return file;
            }
        }

        public ValueTask DeleteAsync(string path, CancellationToken cancellationToken = default) => inner.DeleteAsync(path, cancellationToken);

        public ValueTask<ConnectionTestResult> TestConnectionAsync(CancellationToken cancellationToken = default) => inner.TestConnectionAsync(cancellationToken);
    }

    private sealed class Writer(IDestinationWriter inner, string path, CountingDestinationProvider owner) : IDestinationWriter
    {
        public Stream Stream => inner.Stream;

        public async ValueTask CommitAsync(CancellationToken cancellationToken = default)
        {
            await inner.CommitAsync(cancellationToken);
            owner.Commits.AddOrUpdate(path, 1, (_, n) => n + 1);
        }

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
