namespace Exports.Sdk;

/// <summary>
/// Follows one incremental read row by row: the newest change time seen, the re-read rows the previous run already
/// exported, and the exported changes close enough to the newest to be re-read next time. No allocation per row.
/// </summary>
internal sealed class ChangeTracker
{
    private readonly ChangeFingerprints _previous;
    private readonly long _overlapTicks;
    private readonly long _notAfterTicks;
    private readonly Dictionary<UInt128, long> _exported = [];
    private long _newest = long.MinValue;
    private int _pruneAt = 4096;
    private long _floor = long.MinValue;

    public ChangeTracker(IncrementalWindow window)
    {
        _previous = window.Previous;
        _overlapTicks = window.OverlapValue;
        _notAfterTicks = window.NotAfterTicks;
    }

    /// <summary>The newest change time read (UTC ticks), or null when no row carried one.</summary>
    public long? MaxTicks => _newest == long.MinValue ? null : _newest;

    /// <summary>Rows dropped because the previous run exported the same change.</summary>
    public long ExportedBefore { get; private set; }

    public IEnumerable<KeyValuePair<UInt128, long>> Exported => _exported;

    /// <summary>Changes older than this (UTC ticks) were not all remembered: the next run must not start before it.</summary>
    public long Floor => _floor;

    /// <summary>
    /// Counts a row's change time towards the newest (every row read, exported or not). A time past the credible limit
    /// (a row dated in the future by mistake) does not count: the next start must not jump there.
    /// </summary>
    public void Observe(long ticks)
    {
        if (ticks > _newest && ticks <= _notAfterTicks)
        {
            _newest = ticks;
        }
    }

    /// <summary>Whether the previous run can have exported a change of this time (only then is the row hashed).</summary>
    public bool MayBeReRead(long ticks) => ticks >= _previous.MinTicks && ticks <= _previous.MaxTicks;

    /// <summary>Whether the previous run exported this change; counted when it did.</summary>
    public bool WasExportedBefore(UInt128 fingerprint)
    {
        if (_previous.Contains(fingerprint))
        {
            ExportedBefore++;
            return true;
        }

        return false;
    }

    /// <summary>
    /// Whether the previous run exported this row's change (it is then dropped and counted); otherwise, when it is recent
    /// enough for the next run to re-read it, it is remembered as exported. Rows outside both ranges are not hashed.
    /// </summary>
    public bool IsExportedBefore(RowFingerprint hash, RowBatch batch, int row, int[] ordinals, long ticks)
    {
        var known = MayBeReRead(ticks);
        var recent = IsRecent(ticks);
        if (!known && !recent)
        {
            return false;
        }

        var fingerprint = hash.Of(batch, row, ordinals, ticks);
        if (known && WasExportedBefore(fingerprint))
        {
            return true;
        }

        if (recent)
        {
            Remember(fingerprint, ticks);
        }

        return false;
    }

    /// <summary>Whether an exported change of this time may fall into the next run's overlap (a future-dated one always may).</summary>
    public bool IsRecent(long ticks) => ticks >= RecentFrom && ticks >= _floor;

    /// <summary>Where the next run's overlap can start at the earliest: the newest change less the overlap.</summary>
    private long RecentFrom => _newest == long.MinValue || _newest < long.MinValue + _overlapTicks ? long.MinValue : _newest - _overlapTicks;

    /// <summary>Remembers an exported recent change.</summary>
    public void Remember(UInt128 fingerprint, long ticks)
    {
        _exported[fingerprint] = ticks;
        if (_exported.Count >= _pruneAt)
        {
            // Rows in no particular order: forget what the newest change has since left behind.
            foreach (var (key, value) in _exported)
            {
                if (value < RecentFrom)
                {
                    _exported.Remove(key);
                }
            }

            if (_exported.Count > 2 * ChangeFingerprints.MaxEntries)
            {
                // Bounded memory: keep the newest changes that fit, and start the next run no earlier than them.
                var (kept, from) = ChangeFingerprints.Keep(_exported, _floor);
                _floor = from;
                _exported.Clear();
                foreach (var (key, value) in kept.Entries)
                {
                    _exported[key] = value;
                }
            }

            _pruneAt = Math.Max(4096, _exported.Count * 2);
        }
    }
}
