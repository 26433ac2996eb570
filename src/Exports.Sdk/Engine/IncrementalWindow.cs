namespace Exports.Sdk;

/// <summary>
/// One audience's incremental read: where it starts (the source's own change times, never the host's clock), the
/// changes the previous run exported from the overlap it re-reads, and, once read, where the next run starts.
/// </summary>
internal sealed class IncrementalWindow
{
    private ChangeTracker? _tracker;

    /// <param name="since">Read changes at or after this instant; null for the full backfill.</param>
    /// <param name="overlap">How far before the newest change read the next run starts again.</param>
    /// <param name="recentChanges">What the previous run remembered of its overlap (<see cref="ChangeFingerprints"/>).</param>
    /// <param name="notAfter">
    /// The latest credible change time: a later one (a row dated in the future by mistake) does not count towards the
    /// next start, or every real change until then would be skipped. Default: no limit.
    /// </param>
    public IncrementalWindow(DateTimeOffset? since, TimeSpan overlap, string? recentChanges = null, DateTimeOffset? notAfter = null)
        : this(since?.UtcTicks, overlap.Ticks, recentChanges, (notAfter ?? DateTimeOffset.MaxValue).UtcTicks)
    {
    }

    /// <summary>A window over any growing 64-bit position (a dataset's watermark column: ticks, a day number or an integer).</summary>
    /// <param name="since">Read positions at or after this value; null for the full backfill.</param>
    /// <param name="overlap">How far before the newest position read the next run starts again.</param>
    /// <param name="recentChanges">What the previous run remembered of its overlap.</param>
    /// <param name="notAfter">The latest credible position.</param>
    public IncrementalWindow(long? since, long overlap, string? recentChanges, long notAfter)
    {
        SinceValue = since;
        OverlapValue = overlap;
        NotAfterTicks = notAfter;
        Previous = since is null ? ChangeFingerprints.Empty : ChangeFingerprints.Decode(recentChanges);
    }

    public DateTimeOffset? Since => SinceValue is { } ticks ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    public long? SinceValue { get; }

    public TimeSpan Overlap => TimeSpan.FromTicks(OverlapValue);

    public long OverlapValue { get; }

    public long NotAfterTicks { get; }

    public ChangeFingerprints Previous { get; }

    /// <summary>Starts reading (again, when an entry is retried): what is tracked from here on decides the next window.</summary>
    public ChangeTracker StartRead()
    {
        _tracker = new ChangeTracker(this);
        return _tracker;
    }

    /// <summary>
    /// Where the next run starts and what it must not export again: the newest change read less the overlap, and the
    /// exported changes from there on (a row dated past <see cref="NotAfterTicks"/> among them, so it is not exported
    /// twice). Unchanged when no row carried a change time.
    /// </summary>
    public (DateTimeOffset? Since, string? RecentChanges) Next()
    {
        var (next, recent) = NextValue(DateTimeOffset.MinValue.UtcTicks);
        return (next is { } ticks ? new DateTimeOffset(Math.Min(ticks, DateTimeOffset.MaxValue.UtcTicks), TimeSpan.Zero) : null, recent);
    }

    /// <summary>As <see cref="Next"/>, for any position; <paramref name="lowest"/> is the smallest valid one.</summary>
    public (long? Since, string? RecentChanges) NextValue(long lowest = long.MinValue)
    {
        if (_tracker?.MaxTicks is not { } newest)
        {
            return (SinceValue, Previous.Encode());
        }

        var cutoff = Math.Max(Math.Max(lowest, newest < lowest + OverlapValue ? lowest : newest - OverlapValue), _tracker.Floor);
        var (kept, keptFrom) = ChangeFingerprints.Keep(Previous.Entries.Concat(_tracker.Exported), cutoff);
        return (SinceValue is { } since && since > keptFrom ? since : keptFrom, kept.Encode());
    }
}
