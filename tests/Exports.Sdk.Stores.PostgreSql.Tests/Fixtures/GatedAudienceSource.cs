using System.Runtime.CompilerServices;

namespace Exports.Sdk.ClusterTests;

/// <summary>
/// Holds every read at its start until <see cref="Open"/>. After <see cref="Freeze"/> a waiting read never returns,
/// not even when cancelled: what a process that was killed looks like from the outside (it writes nothing more).
/// </summary>
internal sealed class GatedAudienceSource(IAudienceSource inner) : IAudienceSource
{
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _frozen;

    public Task Entered => _entered.Task;

    public void Open() => _gate.TrySetResult();

    public void Freeze() => _frozen = true;

    public IAsyncEnumerable<AudienceInfo> ListAudiencesAsync(CancellationToken cancellationToken = default) => inner.ListAudiencesAsync(cancellationToken);

    public async IAsyncEnumerable<RowBatch> ReadMembersAsync(AudienceReadRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        _entered.TrySetResult();
        try
        {
            await _gate.Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (_frozen)
        {
            await new TaskCompletionSource().Task;
        }

        if (_frozen)
        {
            await new TaskCompletionSource().Task;
        }

        await foreach (var batch in inner.ReadMembersAsync(request, cancellationToken))
        {
            yield return batch;
        }
    }
}
