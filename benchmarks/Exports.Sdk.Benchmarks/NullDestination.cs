using System.Runtime.CompilerServices;

namespace Exports.Sdk.Benchmarks;

/// <summary>A destination that counts bytes and keeps nothing, so benchmarks measure formatting and compression.</summary>
internal sealed class NullDestination : IDestination
{
    public string Name => "null";

    public ValueTask<IDestinationWriter> OpenWriteAsync(string path, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IDestinationWriter>(new Writer());

    public async IAsyncEnumerable<DestinationFile> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask;
        yield break;
    }

    public ValueTask DeleteAsync(string path, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public ValueTask<ConnectionTestResult> TestConnectionAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(ConnectionTestResult.Success("null"));

    private sealed class Writer : IDestinationWriter
    {
        public Stream Stream { get; } = new CountingNullStream();

        public ValueTask CommitAsync(CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
