namespace Exports.Sdk.Formats.Parquet;

/// <summary>
/// Parquet's RLE/bit-packed hybrid encoding of small non-negative integers (definition levels at bit width 1, dictionary
/// indices wider): runs of eight or more equal values as one repeated value, the rest packed eight values at a time,
/// lowest bits first. A column without nulls takes a few bytes of levels whatever its length.
/// </summary>
internal static class RleBitPackedHybridEncoder
{
    /// <summary>
    /// The most bytes <see cref="Encode"/> writes for <paramref name="count"/> values: every run but the last covers at
    /// least eight values, a repeated run costs at most a five-byte header and four bytes of value, and a packed run at
    /// most a five-byte header and <paramref name="bitWidth"/> bytes per eight values.
    /// </summary>
    public static int MaxLength(int count, int bitWidth) => (((count + 7) / 8) * (bitWidth + 9)) + 16;

    /// <summary>
    /// Encodes <paramref name="values"/> (each below 2^<paramref name="bitWidth"/>, a width of 1 to 32) into
    /// <paramref name="destination"/>; returns the bytes written.
    /// </summary>
    public static int Encode(ReadOnlySpan<int> values, int bitWidth, Span<byte> destination)
    {
        var valueBytes = (bitWidth + 7) / 8;
        var written = 0;
        var i = 0;
        while (i < values.Length)
        {
            var run = RunLength(values, i);
            if (run >= 8)
            {
                written += WriteVarInt((uint)run << 1, destination[written..]);
                for (var b = 0; b < valueBytes; b++)
                {
                    destination[written++] = (byte)(values[i] >> (8 * b));
                }

                i += run;
                continue;
            }

            // Packed groups of eight, up to the next group boundary where a run of eight starts (padded only at the end).
            var end = i;
            do
            {
                end += 8;
            }
            while (end < values.Length && RunLength(values, end) < 8);

            end = Math.Min(end, values.Length);
            var groups = (end - i + 7) / 8;
            written += WriteVarInt(((uint)groups << 1) | 1, destination[written..]);
            ulong bits = 0;
            var held = 0;
            for (var v = i; v < i + (groups * 8); v++)
            {
                bits |= (ulong)(uint)(v < end ? values[v] : 0) << held;
                held += bitWidth;
                while (held >= 8)
                {
                    destination[written++] = (byte)bits;
                    bits >>= 8;
                    held -= 8;
                }
            }

            i = end;
        }

        return written;
    }

    private static int RunLength(ReadOnlySpan<int> values, int start)
    {
        var rest = values[start..];
        var other = rest.IndexOfAnyExcept(rest[0]);
        return other < 0 ? rest.Length : other;
    }

    private static int WriteVarInt(uint value, Span<byte> destination)
    {
        var i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[i++] = (byte)value;
        return i;
    }
}
