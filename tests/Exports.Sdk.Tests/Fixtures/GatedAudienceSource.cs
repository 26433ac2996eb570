using System.Runtime.CompilerServices;

namespace Exports.Sdk.Tests.Fixtures;

/// <summary>Wraps a source and holds every member read at its first batch until <see cref="Open"/> is called.</summary>
internal sealed class GatedAudienceSource(IAudienceSource inner) : IAudienceSource
{
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when a read is waiting at the gate.</summary>
    public Task Entered => _entered.Task;

    public void Open() => _gate.TrySetResult();

    public IAsyncEnumerable<AudienceInfo> ListAudiencesAsync(CancellationToken cancellationToken = default) => inner.ListAudiencesAsync(cancellationToken);

    public async IAsyncEnumerable<RowBatch> ReadMembersAsync(AudienceReadRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        _entered.TrySetResult();
        await _gate.Task.WaitAsync(cancellationToken);
        await foreach (var batch in inner.ReadMembersAsync(request, cancellationToken))
        {
            yield return batch;
        }
    }
}
