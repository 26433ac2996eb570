using System.Buffers.Binary;

namespace Exports.Sdk;

/// <summary>
/// The changes an incremental run exported near its end (each a hash of the export's key and the change time, with
/// that time), so the next run can re-read an overlap and still export every change once. Kept with the audience's
/// state as base64 of 24-byte entries.
/// </summary>
internal sealed class ChangeFingerprints
{
    /// <summary>The most changes remembered (2.4 MB); past it the overlap shrinks to the newest changes that fit.</summary>
    public const int MaxEntries = 100_000;

    private const int EntrySize = 24;
    private readonly Dictionary<UInt128, long> _entries;

    private ChangeFingerprints(Dictionary<UInt128, long> entries)
    {
        _entries = entries;
        foreach (var ticks in entries.Values)
        {
            MinTicks = Math.Min(MinTicks, ticks);
            MaxTicks = Math.Max(MaxTicks, ticks);
        }
    }

    public static ChangeFingerprints Empty { get; } = new([]);

    public IReadOnlyDictionary<UInt128, long> Entries => _entries;

    /// <summary>The oldest change time held, in UTC ticks (<see cref="long.MaxValue"/> when empty).</summary>
    public long MinTicks { get; } = long.MaxValue;

    /// <summary>The newest change time held, in UTC ticks (<see cref="long.MinValue"/> when empty).</summary>
    public long MaxTicks { get; } = long.MinValue;

    public bool Contains(UInt128 fingerprint) => _entries.ContainsKey(fingerprint);

    /// <summary>Keeps the entries at or after <paramref name="cutoffTicks"/>; when more than the limit, raises the cutoff.</summary>
    public static (ChangeFingerprints Kept, long CutoffTicks) Keep(IEnumerable<KeyValuePair<UInt128, long>> entries, long cutoffTicks)
    {
        var kept = new Dictionary<UInt128, long>();
        foreach (var (fingerprint, ticks) in entries)
        {
            if (ticks >= cutoffTicks)
            {
                kept[fingerprint] = ticks;
            }
        }

        if (kept.Count > MaxEntries)
        {
            // Whole change times only: every kept change at or after the new cutoff must be remembered, or a re-read
            // of that instant would export it again.
            var times = kept.Values.Order().ToArray();
            cutoffTicks = times[^MaxEntries] + (times[^MaxEntries] == times[^(MaxEntries + 1)] ? 1 : 0);
            foreach (var (fingerprint, ticks) in kept.ToArray())
            {
                if (ticks < cutoffTicks)
                {
                    kept.Remove(fingerprint);
                }
            }
        }

        return (new ChangeFingerprints(kept), cutoffTicks);
    }

    public static ChangeFingerprints Decode(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return Empty;
        }

        var bytes = Convert.FromBase64String(text);
        var entries = new Dictionary<UInt128, long>(bytes.Length / EntrySize);
        for (var offset = 0; offset + EntrySize <= bytes.Length; offset += EntrySize)
        {
            var span = bytes.AsSpan(offset, EntrySize);
            entries[BinaryPrimitives.ReadUInt128LittleEndian(span)] = BinaryPrimitives.ReadInt64LittleEndian(span[16..]);
        }

        return new ChangeFingerprints(entries);
    }

    public string? Encode()
    {
        if (_entries.Count == 0)
        {
            return null;
        }

        var bytes = new byte[_entries.Count * EntrySize];
        var offset = 0;
        foreach (var (fingerprint, ticks) in _entries)
        {
            BinaryPrimitives.WriteUInt128LittleEndian(bytes.AsSpan(offset), fingerprint);
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(offset + 16), ticks);
            offset += EntrySize;
        }

        return Convert.ToBase64String(bytes);
    }
}
