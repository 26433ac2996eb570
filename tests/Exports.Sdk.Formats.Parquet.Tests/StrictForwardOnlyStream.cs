namespace Exports.Sdk.Formats.Parquet.Tests;

/// <summary>An output like a network upload: it can only be written forward; Length, Position and Seek throw.</summary>
internal sealed class StrictForwardOnlyStream : Stream
{
    private readonly MemoryStream _bytes = new();

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new InvalidOperationException("Length must not be read.");

    public override long Position
    {
        get => throw new InvalidOperationException("Position must not be read.");
        set => throw new InvalidOperationException("Position must not be set.");
    }

    public byte[] ToArray() => _bytes.ToArray();

    public override void Write(byte[] buffer, int offset, int count) => _bytes.Write(buffer, offset, count);

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new InvalidOperationException("Seek must not be called.");

    public override void SetLength(long value) => throw new NotSupportedException();
}
