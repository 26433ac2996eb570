namespace Exports.Sdk;

/// <summary>
/// What the SDK remembers per dataflow and audience, or per dataset export and dataset, between runs (incremental
/// watermark, schedule progress).
/// </summary>
public sealed record AudienceExportState
{
    /// <summary>The dataflow (or dataset export) id.</summary>
    public required string DataflowId { get; init; }

    /// <summary>The audience (or dataset) id.</summary>
    public required string AudienceId { get; init; }

    /// <summary>
    /// For incremental exports: the next run reads changes at or after this instant, by the source's own change times
    /// (<see cref="AudienceColumns.MembershipStatusTime"/>): the newest change exported less
    /// <see cref="ExportRunOptions.IncrementalOverlap"/>. Advanced only after a run's files and manifest are all committed.
    /// </summary>
    public DateTimeOffset? Watermark { get; init; }

    /// <summary>
    /// For incremental exports: the changes exported at or after <see cref="Watermark"/> (an opaque digest of their rows
    /// and change times), so the next run, which reads them again, exports each change once.
    /// </summary>
    public string? RecentChanges { get; init; }

    /// <summary>
    /// For incremental dataset exports: the next run reads rows whose watermark column is at or after this value (a
    /// timestamp column's less <see cref="ExportRunOptions.IncrementalOverlap"/>), from the newest value exported.
    /// Advanced only after a run's files and manifest are all committed; null before the first (full) run.
    /// </summary>
    public DatasetWatermark? DatasetWatermark { get; init; }

    /// <summary>The last run that succeeded for this audience.</summary>
    public string? LastSuccessfulRunId { get; init; }

    /// <summary>The scheduled time of the last schedule occurrence that completed (run or deliberately skipped).</summary>
    public DateTimeOffset? LastCompletedSlot { get; init; }

    /// <summary>
    /// The latest "audience evaluated" signal pushed for this audience (<see cref="IExportScheduler.NotifyAudienceEvaluatedAsync"/>),
    /// kept here so that a restart between the signal and the slot does not lose it.
    /// </summary>
    public DateTimeOffset? LastEvaluatedAt { get; init; }
}
