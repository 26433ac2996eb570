namespace Exports.Sdk;

/// <summary>
/// Runs one schedule occurrence ("slot") of an activated audience or a dataset export the way every scheduler must: the deterministic run
/// id of the slot (<see cref="SlotRunId"/>), the audience's incremental watermark, the atomic claim in the store, and
/// the state (watermark, last completed slot) advanced only after the files and the manifest are committed.
/// The in-process scheduler uses it, and so do clustered schedulers in their own packages.
/// </summary>
public interface IExportSlotRunner
{
    /// <summary>
    /// Lists what runs on a schedule now: each activated audience with a schedule of every dataflow whose schedule is
    /// on, and every dataset export with a schedule that is on; declared in configuration or stored.
    /// </summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The entries.</returns>
    Task<IReadOnlyList<ScheduledEntry>> ListScheduledAsync(CancellationToken cancellationToken = default);

    /// <summary>Finds one scheduled entry as it is now; null when it is gone, unscheduled or switched off.</summary>
    /// <param name="kind">The kind of export.</param>
    /// <param name="exportId">The dataflow or dataset export id.</param>
    /// <param name="entryId">The audience or dataset id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The entry or null.</returns>
    Task<ScheduledEntry?> FindScheduledAsync(ExportFlowKind kind, string exportId, string entryId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Tells whether a due slot may start: an audience whose trigger is "after segment evaluation" waits for an
    /// evaluation on the slot's day, and every audience waits while the source refreshes it
    /// (<see cref="IAudienceEvaluationStatus"/>). Dataset exports are always ready.
    /// </summary>
    /// <param name="entry">The entry.</param>
    /// <param name="slot">The occurrence time (UTC).</param>
    /// <param name="signalledEvaluation">For audiences, the latest evaluation pushed, if any.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether it may start, or what it waits for.</returns>
    ValueTask<SlotReadiness> CheckReadinessAsync(ScheduledEntry entry, DateTimeOffset slot, DateTimeOffset? signalledEvaluation, CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs a slot: claims the audience (or dataset export) under the slot's run id, exports (incrementally from the
    /// stored watermark when the mode asks for it; the first incremental run is a full backfill), records the run, and on
    /// success stores the new watermark and the slot as completed. A retry of the same slot uses the same run id, so it
    /// replaces the files and the record of a failed attempt.
    /// </summary>
    /// <param name="entry">The entry.</param>
    /// <param name="slot">The occurrence time (UTC).</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The run's record.</returns>
    /// <exception cref="ExportRunInProgressException">Another run holds the audience or dataset export.</exception>
    Task<ExportRunRecord> RunSlotAsync(ScheduledEntry entry, DateTimeOffset slot, CancellationToken cancellationToken = default);
}
