namespace Exports.Sdk;

/// <summary>
/// Runs dataflows and dataset exports on their schedules. Implemented by the in-process scheduler and by clustered schedulers in
/// their own packages; hosts call it to react to schedule edits and audience evaluations.
/// </summary>
public interface IExportScheduler
{
    /// <summary>Re-reads an export's schedules after it was created, edited, switched on or off, or deleted.</summary>
    /// <param name="dataflowId">The dataflow or dataset export id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the new schedule is in force.</returns>
    ValueTask RefreshAsync(string dataflowId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Tells the scheduler that a source finished evaluating an audience, which starts runs whose trigger is
    /// "after segment evaluation".
    /// </summary>
    /// <param name="source">The audience source name.</param>
    /// <param name="audienceId">The audience id.</param>
    /// <param name="evaluatedAt">When the evaluation finished.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the signal is recorded.</returns>
    ValueTask NotifyAudienceEvaluatedAsync(string source, string audienceId, DateTimeOffset evaluatedAt, CancellationToken cancellationToken = default);

    /// <summary>Lists the next runs of enabled schedules up to an instant.</summary>
    /// <param name="until">The end of the window (exclusive).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The upcoming runs, by time (for a dataset export, <see cref="ScheduledRun.AudienceId"/> is the dataset id).</returns>
    ValueTask<IReadOnlyList<ScheduledRun>> GetUpcomingAsync(DateTimeOffset until, CancellationToken cancellationToken = default);
}
