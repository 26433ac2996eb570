namespace Exports.Sdk;

/// <summary>
/// Runs one schedule occurrence ("slot") of an activated audience the way every scheduler must: the deterministic run
/// id of the slot (<see cref="SlotRunId"/>), the audience's incremental watermark, the atomic claim in the store, and
/// the audience state (watermark, last completed slot) advanced only after the files and the manifest are committed.
/// The in-process scheduler uses it, and so do clustered schedulers in their own packages.
/// </summary>
public interface IExportSlotRunner
{
    /// <summary>
    /// Tells whether a due slot may start: an "after segment evaluation" trigger waits for an evaluation on the slot's
    /// day, and every trigger waits while the source refreshes the audience (<see cref="IAudienceEvaluationStatus"/>).
    /// </summary>
    /// <param name="dataflow">The dataflow.</param>
    /// <param name="audience">The activated audience.</param>
    /// <param name="slot">The occurrence time (UTC).</param>
    /// <param name="signalledEvaluation">The latest evaluation pushed through <see cref="IExportScheduler.NotifyAudienceEvaluatedAsync"/>, if any.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether it may start, or what it waits for.</returns>
    ValueTask<SlotReadiness> CheckReadinessAsync(DataflowDefinition dataflow, AudienceActivation audience, DateTimeOffset slot, DateTimeOffset? signalledEvaluation, CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs a slot: claims the audience under the slot's run id, exports (incrementally from the watermark when the
    /// audience's mode asks for it), records the run, and on success stores the new watermark and the slot as completed.
    /// A retry of the same slot uses the same run id, so it replaces the files and the record of a failed attempt.
    /// </summary>
    /// <param name="dataflow">The dataflow.</param>
    /// <param name="audience">The activated audience.</param>
    /// <param name="slot">The occurrence time (UTC).</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The run's record.</returns>
    /// <exception cref="ExportRunInProgressException">Another run holds the audience.</exception>
    Task<ExportRunRecord> RunSlotAsync(DataflowDefinition dataflow, AudienceActivation audience, DateTimeOffset slot, CancellationToken cancellationToken = default);
}
