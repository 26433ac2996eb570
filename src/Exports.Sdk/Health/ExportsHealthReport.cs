namespace Exports.Sdk;

/// <summary>The health of the export SDK in a host: the worst of its parts.</summary>
/// <param name="Status">The overall status.</param>
/// <param name="Scheduler">The scheduler's state, or null when no in-process scheduler is registered.</param>
/// <param name="Destinations">Each destination's connection test, when requested.</param>
/// <param name="CheckedAt">When the report was made.</param>
public sealed record ExportsHealthReport(ExportsHealthStatus Status, SchedulerHealth? Scheduler, IReadOnlyList<DestinationHealth> Destinations, DateTimeOffset CheckedAt)
{
    /// <summary>The runs this host is executing; Degraded when one has waited queued for more than 10 minutes.</summary>
    public RunQueueHealth? Runs { get; init; }
}

