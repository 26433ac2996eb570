namespace Exports.Sdk;

/// <summary>How runs execute on this host (<c>Exports:Runs</c> in configuration).</summary>
public sealed class ExportRunOptions
{
    /// <summary>How many started runs (export now, run, run all) execute at once on this host; more wait, queued. Default 2.</summary>
    public int MaxConcurrentRuns { get; set; } = 2;

    /// <summary>
    /// How often a running run saves its progress and renews its claim in the store, and so how soon it sees a
    /// cancellation asked for on another host. Between 100 ms and 30 s; default 2 s.
    /// </summary>
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The most distinct deduplication keys one audience of a run may hold in memory (at least 32 bytes each, up to
    /// twice that while the set grows, so the default 5,000,000 is 160 to 320 MB). A deduplicated audience with more distinct keys fails with an error naming
    /// the export and this limit, rather than growing without bound. At least 1; default 5,000,000.
    /// </summary>
    public long MaxDeduplicationKeys { get; set; } = 5_000_000;

    /// <summary>
    /// How far an incremental run reaches back before the previous run's newest change, so that a change committed late
    /// (its change time earlier than one already read) is still exported; the changes read again (the same row at the same change
    /// time) are dropped, so each reaches the partner once. When
    /// more than 100,000 exported changes fall within it, it shrinks to the newest that fit. Zero or more; default 5 minutes.
    /// </summary>
    public TimeSpan IncrementalOverlap { get; set; } = TimeSpan.FromMinutes(5);
}
