namespace Exports.Sdk.Scheduling.Quartz;

/// <summary>Options of the clustered Quartz.NET scheduler.</summary>
public sealed class QuartzExportSchedulerOptions
{
    /// <summary>The PostgreSQL connection string of Quartz's job store (may be the export store's database). Required.</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>The Quartz scheduler name; every host of one cluster uses the same. Default <c>Exports.Sdk</c>.</summary>
    public string SchedulerName { get; set; } = "Exports.Sdk";

    /// <summary>This host's id in the cluster; must differ between hosts. Default <c>machine/process-id</c>.</summary>
    public string InstanceId { get; set; } = $"{Environment.MachineName}/{Environment.ProcessId}";

    /// <summary>The prefix of Quartz's tables. Default <c>qrtz_</c> (Quartz's own default).</summary>
    public string TablePrefix { get; set; } = "qrtz_";

    /// <summary>Whether Quartz creates its tables when missing (never alters or drops). Default true.</summary>
    public bool CreateSchema { get; set; } = true;

    /// <summary>
    /// How often each host re-reads the dataflows to add, change or remove schedules made on any host, and how long a
    /// due occurrence waits before it checks again for an evaluation, a refresh or a run in progress. Default 30 s.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How late an occurrence may start and still count as on time (and Quartz's misfire threshold). Default 5 minutes.</summary>
    public TimeSpan MisfireThreshold { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>What to do about occurrences missed while every host was down. Default <see cref="MissedRunPolicy.RunOnce"/>.</summary>
    public MissedRunPolicy MissedRuns { get; set; } = MissedRunPolicy.RunOnce;

    /// <summary>How many exports this host runs at once (Quartz's thread pool size). Default 2.</summary>
    public int MaxConcurrentRuns { get; set; } = 2;

    /// <summary>How long to wait before retrying an occurrence whose run failed. Default 5 minutes.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often this host records in the database that it is alive. Default 7.5 s (Quartz's default).</summary>
    public TimeSpan CheckinInterval { get; set; } = TimeSpan.FromMilliseconds(7500);

    /// <summary>
    /// How long past a missed check-in the other hosts wait before they treat this one as dead and run its interrupted
    /// occurrences again. Default 7.5 s (Quartz's default).
    /// </summary>
    public TimeSpan CheckinMisfireThreshold { get; set; } = TimeSpan.FromMilliseconds(7500);
}
