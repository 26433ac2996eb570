using System.Buffers;
using System.Runtime.CompilerServices;

namespace Exports.Sdk;

/// <summary>
/// The buffer of a text row formatter: a pooled byte array that grows when a row needs more room. Subclasses loop over
/// the rows and write their UTF-8 bytes at <c>_pos</c>.
/// </summary>
internal abstract class Utf8RowFormatter : IRowFormatter
{
    private const int InitialBufferSize = 128 * 1024;

#pragma warning disable SA1401, CA1051 // The formatters' inner loops index the buffer directly; a property would cost on every byte.
    protected byte[] _buffer = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
    protected int _pos;
    protected ColumnVector[] _vectors = [];
#pragma warning restore SA1401, CA1051

    public ReadOnlyMemory<byte> Formatted => _buffer.AsMemory(0, _pos);

    public void Reset() => _pos = 0;

    /// <summary>Appends the given rows; the loop is in the sealed subclass so each row is a direct call.</summary>
    public abstract void FormatAll(ColumnVector[] vectors, ReadOnlySpan<int> rows);

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        _pos = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        EnsureCapacity(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_pos));
        _pos += bytes.Length;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected void EnsureCapacity(int count)
    {
        if (_buffer.Length - _pos < count)
        {
            Grow(count);
        }
    }

    private void Grow(int count)
    {
        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _pos + count));
        _buffer.AsSpan(0, _pos).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }
}
