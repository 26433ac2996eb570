namespace Exports.Sdk.Formats.Parquet;

/// <summary>
/// The definition levels of a flat optional column (0 null, 1 present) in Parquet's RLE/bit-packed hybrid encoding at
/// bit width 1: runs of eight or more equal levels as one repeated value, the rest packed eight levels to a byte. A
/// column without nulls takes a few bytes whatever its length.
/// </summary>
internal static class DefinitionLevelEncoder
{
    /// <summary>
    /// The most bytes <see cref="Encode"/> writes for <paramref name="count"/> levels: every run but the last covers at
    /// least eight levels, a repeated run costs at most six bytes (a five-byte header and its value) and a packed run at
    /// most a five-byte header and a byte per eight levels.
    /// </summary>
    public static int MaxLength(int count) => count + 16;

    /// <summary>Encodes <paramref name="levels"/> (each 0 or 1) into <paramref name="destination"/>; returns the bytes written.</summary>
    public static int Encode(ReadOnlySpan<int> levels, Span<byte> destination)
    {
        var written = 0;
        var i = 0;
        while (i < levels.Length)
        {
            var run = RunLength(levels, i);
            if (run >= 8)
            {
                written += WriteVarInt((uint)run << 1, destination[written..]);
                destination[written++] = (byte)levels[i];
                i += run;
                continue;
            }

            // Packed groups of eight, up to the next group boundary where a run of eight starts (padded only at the end).
            var end = i;
            do
            {
                end += 8;
            }
            while (end < levels.Length && RunLength(levels, end) < 8);

            end = Math.Min(end, levels.Length);
            var groups = (end - i + 7) / 8;
            written += WriteVarInt(((uint)groups << 1) | 1, destination[written..]);
            for (var g = 0; g < groups; g++)
            {
                var packed = 0;
                var first = i + (g * 8);
                for (var b = 0; b < 8 && first + b < end; b++)
                {
                    packed |= levels[first + b] << b;
                }

                destination[written++] = (byte)packed;
            }

            i = end;
        }

        return written;
    }

    private static int RunLength(ReadOnlySpan<int> levels, int start)
    {
        var rest = levels[start..];
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
