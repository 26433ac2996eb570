namespace Exports.Sdk;

/// <summary>Options of the in-process scheduler.</summary>
public sealed class ExportSchedulerOptions
{
    /// <summary>How often schedules are re-read when nothing is due sooner (edits take effect within it). Default 30 s.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How late an occurrence may start and still count as on time. Default 5 minutes.</summary>
    public TimeSpan MisfireThreshold { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>What to do about occurrences missed while the host was down. Default <see cref="MissedRunPolicy.RunOnce"/>.</summary>
    public MissedRunPolicy MissedRuns { get; set; } = MissedRunPolicy.RunOnce;

    /// <summary>How many exports may run at once. Default 2.</summary>
    public int MaxConcurrentRuns { get; set; } = 2;

    /// <summary>How long to wait before retrying an occurrence whose run failed. Default 5 minutes.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMinutes(5);
}
