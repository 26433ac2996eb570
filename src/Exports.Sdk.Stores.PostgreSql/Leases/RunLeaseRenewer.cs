using System.Collections.Concurrent;

namespace Exports.Sdk.Stores.PostgreSql;

/// <summary>
/// Keeps the lease of this host's running runs alive: every third of the lease duration it asks the store to extend
/// each one. A run leaves the set when it is recorded as finished, when another host has taken it over, or when the
/// store is disposed; a host that dies simply stops renewing.
/// </summary>
internal sealed class RunLeaseRenewer : IAsyncDisposable
{
    private readonly ConcurrentDictionary<(string DataflowId, string RunId), byte> _runs = new();
    private readonly Func<string, string, CancellationToken, Task<bool>> _renew;
    private readonly Action<Exception> _onError;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public RunLeaseRenewer(TimeSpan leaseDuration, TimeProvider time, Func<string, string, CancellationToken, Task<bool>> renew, Action<Exception> onError)
    {
        _renew = renew;
        _onError = onError;
        _loop = Task.Run(() => LoopAsync(leaseDuration / 3, time, _stop.Token));
    }

    public void Track(string dataflowId, string runId) => _runs[(dataflowId, runId)] = 0;

    public void Release(string dataflowId, string runId) => _runs.TryRemove((dataflowId, runId), out _);

    /// <summary>Whether this process holds the run's claim (it renews its lease).</summary>
    public bool Holds(string dataflowId, string runId) => _runs.ContainsKey((dataflowId, runId));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task LoopAsync(TimeSpan interval, TimeProvider time, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(interval, time, cancellationToken).ConfigureAwait(false);
            foreach (var (dataflowId, runId) in _runs.Keys)
            {
                try
                {
                    if (!await _renew(dataflowId, runId, cancellationToken).ConfigureAwait(false))
                    {
                        // Finished elsewhere or taken over by another host after our lease ran out.
                        Release(dataflowId, runId);
                    }
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex)
                {
                    // A database hiccup: try again next round; the lease has two more rounds of slack.
                    _onError(ex);
                }
            }
        }
    }
}
