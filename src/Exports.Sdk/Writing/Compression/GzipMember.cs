using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;

namespace Exports.Sdk;

/// <summary>One gzip member (RFC 1952) compressed by <see cref="FastDeflater"/>: header, deflate stream, CRC-32 and length.</summary>
internal static class GzipMember
{
    /// <summary>The header: deflate, no flags or name, no time, "fastest" (XFL 4), unknown operating system.</summary>
    private static ReadOnlySpan<byte> Header => [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 4, 255];

    /// <summary>One encoder per thread: its tables are reused from block to block.</summary>
    [ThreadStatic]
    private static FastDeflater? t_deflater;

    /// <summary>
    /// Writes <paramref name="input"/> as a gzip member at the start of <paramref name="output"/>, which is replaced by a
    /// larger array from <paramref name="pool"/> if it runs short.
    /// </summary>
    /// <returns>The member's length.</returns>
    public static int Write(ReadOnlySpan<byte> input, ref byte[] output, ArrayPool<byte> pool)
    {
        Grow(ref output, Header.Length, pool);
        Header.CopyTo(output);
        var end = (t_deflater ??= new FastDeflater()).Compress(input, ref output, Header.Length, pool);
        Grow(ref output, end + 8, pool);
        BinaryPrimitives.WriteUInt32LittleEndian(output.AsSpan(end), Crc32.HashToUInt32(input));
        BinaryPrimitives.WriteUInt32LittleEndian(output.AsSpan(end + 4), (uint)input.Length);
        return end + 8;
    }

    private static void Grow(ref byte[] output, int length, ArrayPool<byte> pool)
    {
        if (output.Length >= length)
        {
            return;
        }

        var bigger = pool.Rent(length);
        output.CopyTo(bigger, 0);
        pool.Return(output);
        output = bigger;
    }
}
