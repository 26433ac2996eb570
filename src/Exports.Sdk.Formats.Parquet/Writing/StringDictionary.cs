using System.Buffers.Binary;
using System.Numerics;

namespace Exports.Sdk.Formats.Parquet;

/// <summary>
/// The distinct strings of a chunk and each value's index among them, for dictionary encoding: written when values
/// repeat enough to pay (at most half of them distinct, judged after the first 4,096 values too, so a column of unique
/// values stops early) and the dictionary stays small (64K entries, 1 MiB, parquet-mr's default page). The table and
/// arrays are made on first use and reused from chunk to chunk; a chunk clears only the part of the table it can fill.
/// </summary>
internal sealed class StringDictionary
{
    private const int MaxEntries = 1 << 16;
    private const long MaxBytes = 1 << 20;
    private const int EarlyCheck = 4096;

    /// <summary>Open addressing, at most half full: an entry's number plus one, 0 for an empty slot.</summary>
    private int[] _slots = [];

    /// <summary>Where each entry starts in the PLAIN values: its length, then its bytes.</summary>
    private int[] _starts = [];
    private int[] _indices = [];
    private int _bytes;

    /// <summary>Distinct values found by the last <see cref="TryBuild"/> (meaningful when it succeeded).</summary>
    public int Count { get; private set; }

    /// <summary>Bytes of the dictionary page's values, from the last <see cref="TryBuild"/> (meaningful when it succeeded).</summary>
    public int Bytes => _bytes;

    /// <summary>
    /// Finds the distinct values of <paramref name="plain"/> (<paramref name="values"/> PLAIN-encoded strings); false
    /// when a dictionary would not pay, and the chunk is written PLAIN.
    /// </summary>
    public bool TryBuild(ReadOnlySpan<byte> plain, int values)
    {
        if (_indices.Length < values)
        {
            _indices = new int[Math.Max(values, _indices.Length * 2)];
        }

        var limit = Math.Min(MaxEntries, values / 2);
        var size = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, limit * 2));
        if (_slots.Length < size)
        {
            _slots = new int[size];
            _starts = new int[size / 2];
        }

        var slots = _slots.AsSpan(0, size);
        slots.Clear();
        var mask = size - 1;
        Count = 0;
        _bytes = 0;
        var offset = 0;
        for (var v = 0; v < values; v++)
        {
            var length = BinaryPrimitives.ReadInt32LittleEndian(plain[offset..]);
            var value = plain.Slice(offset + 4, length);
            var hash = new HashCode();
            hash.AddBytes(value);
            var slot = hash.ToHashCode() & mask;
            while (true)
            {
                var entry = slots[slot] - 1;
                if (entry < 0)
                {
                    if (Count >= limit || (_bytes += 4 + length) > MaxBytes)
                    {
                        return false;
                    }

                    _starts[Count] = offset;
                    slots[slot] = ++Count;
                    _indices[v] = Count - 1;
                    break;
                }

                var start = _starts[entry];
                if (plain.Slice(start + 4, BinaryPrimitives.ReadInt32LittleEndian(plain[start..])).SequenceEqual(value))
                {
                    _indices[v] = entry;
                    break;
                }

                slot = (slot + 1) & mask;
            }

            offset += 4 + length;
            if (v == EarlyCheck && Count > EarlyCheck / 2)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Each value's entry, from the last successful <see cref="TryBuild"/>.</summary>
    public ReadOnlySpan<int> Indices(int values) => _indices.AsSpan(0, values);

    /// <summary>The dictionary page's values, PLAIN-encoded in entry order; <paramref name="into"/> holds at least the dictionary's bytes.</summary>
    public ReadOnlySpan<byte> Entries(ReadOnlySpan<byte> plain, Span<byte> into)
    {
        var written = 0;
        foreach (var start in _starts.AsSpan(0, Count))
        {
            var value = plain.Slice(start, 4 + BinaryPrimitives.ReadInt32LittleEndian(plain[start..]));
            value.CopyTo(into[written..]);
            written += value.Length;
        }

        return into[..written];
    }
}
