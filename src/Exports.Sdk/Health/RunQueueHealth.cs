namespace Exports.Sdk;

/// <summary>The runs this host is executing, for a readiness check: a run queued for long means the queue is stuck.</summary>
/// <param name="Running">Runs executing now.</param>
/// <param name="Queued">Runs waiting for a slot (<see cref="ExportRunOptions.MaxConcurrentRuns"/>).</param>
/// <param name="OldestQueuedSince">When the longest-waiting queued run was started, if any.</param>
public sealed record RunQueueHealth(int Running, int Queued, DateTimeOffset? OldestQueuedSince)
{
    /// <summary>Whether a run has waited queued for more than 10 minutes: the queue looks stuck.</summary>
    public bool IsStuck { get; init; }
}
