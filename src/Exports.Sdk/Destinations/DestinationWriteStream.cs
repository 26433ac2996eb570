namespace Exports.Sdk;

/// <summary>
/// The forward-only stream a destination writer hands out (<see cref="IDestinationWriter.Stream"/>): write-only, no
/// length, position, seeking or reading; every write goes to the writer's asynchronous callback. For destination
/// providers, so each one need not write the same <see cref="Stream"/> boilerplate.
/// </summary>
public sealed class DestinationWriteStream : WriteOnlyStream
{
    private readonly Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> _write;

    /// <summary>Creates the stream.</summary>
    /// <param name="write">Receives the bytes of each write, in order; it may buffer, upload or wait.</param>
    public DestinationWriteStream(Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        _write = write;
    }

    /// <inheritdoc />
#pragma warning disable RS0027 // The signature is Stream's; an override cannot change it.
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => _write(buffer, cancellationToken);
#pragma warning restore RS0027

    /// <inheritdoc />
    /// <remarks>
    /// The export pipeline writes asynchronously; a synchronous caller (a third-party format library) waits here while
    /// a full part or block is uploaded, since a stream's synchronous contract leaves no other choice.
    /// </remarks>
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        var copy = System.Buffers.ArrayPool<byte>.Shared.Rent(buffer.Length);
        try
        {
            buffer.CopyTo(copy);
            _write(copy.AsMemory(0, buffer.Length), CancellationToken.None).AsTask().GetAwaiter().GetResult();
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(copy);
        }
    }

    /// <inheritdoc />
    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
