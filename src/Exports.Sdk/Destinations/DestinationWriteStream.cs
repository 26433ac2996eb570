namespace Exports.Sdk;

/// <summary>
/// The forward-only stream a destination writer hands out (<see cref="IDestinationWriter.Stream"/>): write-only, no
/// length, position, seeking or reading; every write goes to the writer's asynchronous callback. For destination
/// providers, so each one need not write the same <see cref="Stream"/> boilerplate.
/// </summary>
public sealed class DestinationWriteStream : Stream
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
    public override bool CanRead => false;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override bool CanWrite => true;

    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <inheritdoc />
#pragma warning disable RS0027 // The signature is Stream's; an override cannot change it.
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => _write(buffer, cancellationToken);
#pragma warning restore RS0027

    /// <inheritdoc />
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _write(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    /// <remarks>
    /// The export pipeline writes asynchronously; a synchronous caller (a third-party format library) waits here while
    /// a full part or block is uploaded, since a stream's synchronous contract leaves no other choice.
    /// </remarks>
    public override void Write(byte[] buffer, int offset, int count) =>
        _write(buffer.AsMemory(offset, count), CancellationToken.None).AsTask().GetAwaiter().GetResult();

    /// <inheritdoc />
    public override void Flush()
    {
    }

    /// <inheritdoc />
    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();
}
