using System.Collections.Concurrent;

namespace Exports.Sdk;

/// <summary>
/// Serialises this host's read-modify-write of one audience's <see cref="AudienceExportState"/> (a run's watermark and
/// slot, an evaluation signal, a skipped slot), so that one save never puts back what another just changed.
/// </summary>
internal sealed class AudienceStateGate(IExportStore store)
{
    private readonly ConcurrentDictionary<(string DataflowId, string AudienceId), SemaphoreSlim> _gates = new();

    /// <summary>Reads the state, applies <paramref name="change"/> (null: nothing to save) and saves it, alone.</summary>
    public async Task UpdateAsync(string dataflowId, string audienceId, Func<AudienceExportState, AudienceExportState?> change, CancellationToken cancellationToken)
    {
        var gate = _gates.GetOrAdd((dataflowId, audienceId), _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var current = await store.GetAudienceStateAsync(dataflowId, audienceId, cancellationToken).ConfigureAwait(false)
                ?? new AudienceExportState { DataflowId = dataflowId, AudienceId = audienceId };
            if (change(current) is { } changed)
            {
                await store.SaveAudienceStateAsync(changed, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            gate.Release();
        }
    }
}
