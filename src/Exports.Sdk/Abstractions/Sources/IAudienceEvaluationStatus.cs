namespace Exports.Sdk;

/// <summary>
/// Optional for an <see cref="IAudienceSource"/>: tells the scheduler whether an audience is being refreshed (due runs
/// then wait) and when it was last evaluated (runs with the "after segment evaluation" trigger start then). Sources
/// without it can push the same information through <see cref="IExportScheduler.NotifyAudienceEvaluatedAsync"/>.
/// </summary>
public interface IAudienceEvaluationStatus
{
    /// <summary>Returns the evaluation state of an audience.</summary>
    /// <param name="audienceId">The audience id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The state.</returns>
    ValueTask<AudienceEvaluationState> GetEvaluationStateAsync(string audienceId, CancellationToken cancellationToken = default);
}
