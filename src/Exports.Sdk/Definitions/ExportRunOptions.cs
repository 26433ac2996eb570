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
}
