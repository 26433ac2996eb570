using System.Runtime.CompilerServices;

namespace Exports.Sdk.Tests.Fixtures;

/// <summary>
/// Wraps a destination so that every asynchronous write to a file waits first, like a slow link: the formatting
/// pipeline and the gzip blocks queue up behind it, as they do on a busy machine.
/// </summary>
internal sealed class SlowDestination(IDestination inner, TimeSpan delayPerWrite) : IDestination, IDestinationMove
{
    public string Name => inner.Name;

    public async ValueTask<IDestinationWriter> OpenWriteAsync(string path, CancellationToken cancellationToken = default) =>
        new Writer(await inner.OpenWriteAsync(path, cancellationToken), delayPerWrite);

    public async IAsyncEnumerable<DestinationFile> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var file in inner.ListAsync(prefix, cancellationToken))
        {
            yield return file;
        }
    }

    public ValueTask DeleteAsync(string path, CancellationToken cancellationToken = default) => inner.DeleteAsync(path, cancellationToken);

    public ValueTask MoveAsync(string sourcePath, string targetPath, CancellationToken cancellationToken = default) =>
        ((IDestinationMove)inner).MoveAsync(sourcePath, targetPath, cancellationToken);

    public ValueTask<ConnectionTestResult> TestConnectionAsync(CancellationToken cancellationToken = default) =>
        inner.TestConnectionAsync(cancellationToken);

    private sealed class Writer(IDestinationWriter inner, TimeSpan delay) : IDestinationWriter
    {
        public Stream Stream { get; } = new SlowStream(inner.Stream, delay);

        public ValueTask CommitAsync(CancellationToken cancellationToken = default) => inner.CommitAsync(cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }

    private sealed class SlowStream(Stream inner, TimeSpan delay) : WriteOnlyStream
    {
        public override void Write(ReadOnlySpan<byte> buffer) => inner.Write(buffer);

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await Task.Delay(delay, cancellationToken);
            await inner.WriteAsync(buffer, cancellationToken);
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
    }
}
