using System.Buffers.Binary;

namespace Exports.Sdk;

/// <summary>
/// The changes an incremental run exported near its end (each a hash of the export's key and the change time, with
/// that time), so the next run can re-read an overlap and still export every change once. Kept with the audience's
/// state as base64 of 24-byte entries.
/// </summary>
internal sealed class ChangeFingerprints
{
    /// <summary>
    /// The most changes remembered (2.4 MB); past it the overlap shrinks to the newest changes that fit, and changes at
    /// its oldest time that do not fit are exported again by the next run (never skipped).
    /// </summary>
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

    /// <summary>
    /// Keeps the entries at or after <paramref name="cutoffTicks"/>; when more than the limit, raises the cutoff to the
    /// oldest time among the newest entries that fit, never past it.
    /// </summary>
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
            // The newest changes that fit, and the next run starts at the oldest time among them. When more changes
            // share that time than fit, some of them are not remembered and the next run exports them again: it must
            // not start after that time, or the changes still to come at it (a date's later rows) would be skipped.
            var times = kept.Values.Order().ToArray();
            cutoffTicks = times[^MaxEntries];
            var room = MaxEntries - (times.Length - Array.LastIndexOf(times, cutoffTicks) - 1);
            foreach (var (fingerprint, ticks) in kept.ToArray())
            {
                if (ticks < cutoffTicks || (ticks == cutoffTicks && --room < 0))
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
