namespace Exports.Sdk.Formats.Parquet;

/// <summary>
/// The destination stream as what it is, forward-only (<see cref="Stream.CanSeek"/> false): the stitcher counts the
/// bytes it writes instead of reading <c>Position</c>, and nothing seeks. Disposing it leaves the destination stream
/// open: the export pipeline owns that stream.
/// </summary>
internal sealed class ForwardOnlyStream(Stream inner) : WriteOnlyStream
{
    public override void Write(ReadOnlySpan<byte> buffer) => inner.Write(buffer);

    public override void WriteByte(byte value) => inner.WriteByte(value);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        inner.WriteAsync(buffer, cancellationToken);

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
}
