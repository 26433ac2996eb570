
namespace Exports.Sdk.Tests.Fixtures;

/// <summary>A source that reports an evaluation state the test controls.</summary>
internal sealed class RefreshingAudienceSource(IAudienceSource inner) : IAudienceSource, IAudienceEvaluationStatus
{
    public bool IsRefreshing { get; set; }

    public DateTimeOffset? LastEvaluatedAt { get; set; }

    public ValueTask<AudienceEvaluationState> GetEvaluationStateAsync(string audienceId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(new AudienceEvaluationState(IsRefreshing, LastEvaluatedAt));

    public IAsyncEnumerable<AudienceInfo> ListAudiencesAsync(CancellationToken cancellationToken = default) => inner.ListAudiencesAsync(cancellationToken);

    public IAsyncEnumerable<RowBatch> ReadMembersAsync(AudienceReadRequest request, CancellationToken cancellationToken = default) => inner.ReadMembersAsync(request, cancellationToken);
}
