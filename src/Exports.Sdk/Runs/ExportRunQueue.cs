using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Exports.Sdk;

/// <summary>
/// Executes started runs in the background of this host, at most <see cref="ExportRunOptions.MaxConcurrentRuns"/> at
/// once (the others wait, queued). As a hosted service it records as failed, at start-up, the runs a stopped host left
/// active, and when the host stops it cancels every run still going and waits until each is recorded as cancelled.
/// Works without a host too: runs start on first use, and disposing the container stops them.
/// </summary>
internal sealed class ExportRunQueue : IHostedService, IAsyncDisposable
{
    /// <summary>The reason recorded on runs cancelled because their host stopped.</summary>
    public const string HostStopping = "The run was cancelled because its host stopped while it was in progress.";

    private readonly ExportRunner _runner;
    private readonly ActiveRuns _active;
    private readonly IExportStore _store;
    private readonly LeftoverCleanup _leftovers;
    private readonly IDestinationCatalog _catalog;
    private readonly IOptions<ExportsOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _slots;
    private readonly ConcurrentDictionary<string, Task> _executing = new(StringComparer.Ordinal);
    private volatile bool _stopping;

    public ExportRunQueue(ExportRunner runner, ActiveRuns active, IExportStore store, IDestinationCatalog catalog, IOptions<ExportsOptions> options, TimeProvider time, LeftoverCleanup leftovers, ILogger<ExportRunQueue>? logger = null)
    {
        _leftovers = leftovers;
        _runner = runner;
        _active = active;
        _store = store;
        _catalog = catalog;
        _options = options;
        _time = time;
        _logger = logger ?? NullLogger<ExportRunQueue>.Instance;
        var slots = options.Value.Runs.MaxConcurrentRuns;
        _slots = new SemaphoreSlim(slots, slots);
    }

    /// <summary>Executes a claimed run in the background; returns at once.</summary>
    public void Enqueue(ActiveRun run, Func<CancellationToken, Task<ExportPlan>> plan)
    {
        if (_stopping)
        {
            // Still executed, so that it is recorded as cancelled rather than left queued.
            run.Cancel(HostStopping);
        }

        // Listed before it starts, so its removal always comes after and StopAsync always waits for it.
        var listed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _executing[run.RunId] = Task.Run(async () =>
        {
            await listed.Task.ConfigureAwait(false);
            await ExecuteAsync(run, plan).ConfigureAwait(false);
        });
        listed.SetResult();
    }

    /// <summary>Waits for a run started here and returns its final record, rethrowing what ended it early (as a direct run would).</summary>
    /// <remarks>Cancelling <paramref name="cancellationToken"/> cancels the run, as it did when runs ran on the caller's flow.</remarks>
    public static async Task<ExportRunRecord> WaitAsync(ActiveRun run, CancellationToken cancellationToken)
    {
        using (cancellationToken.Register(() => run.Cancel("The run was cancelled by the caller waiting for it.")))
        {
            var record = await run.Ended.ConfigureAwait(false);
            if (run.Failure is { } failure)
            {
                ExceptionDispatchInfo.Throw(failure);
            }

            return record;
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<ExportRunRecord> failed = [];
        try
        {
            failed = await _store.FailAbandonedRunsAsync(cancellationToken).ConfigureAwait(false);
            if (failed.Count > 0)
            {
                ExportsLog.AbandonedRunsFailed(_logger, failed.Count, string.Join(", ", failed.Select(r => r.RunId)));
                await RemoveAbandonedWritesAsync(failed, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The host still starts: the next claim on those audiences frees them as well.
            ExportsLog.AbandonedRunsCheckFailed(_logger, ex);
        }

        // In the background: a destination that is still away must not hold up the host's start; each run of an
        // export cleans up after its own earlier runs anyway.
        _ = Task.Run(async () =>
        {
            try
            {
                await _leftovers.CleanAllAsync(failed.Select(r => r.DataflowId), CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                ExportsLog.LeftoverCleanupFailed(_logger, ex);
            }
        }, CancellationToken.None);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        // Runs claimed while stopping are cancelled as they are listed; wait until every one has recorded its end.
        while (!_executing.IsEmpty)
        {
            _active.CancelAll(HostStopping);
            await Task.WhenAll(_executing.Values).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _slots.Dispose();
    }

    /// <summary>Removes the temporary files the dead host's writers left at the destinations of its runs.</summary>
    private async Task RemoveAbandonedWritesAsync(IReadOnlyList<ExportRunRecord> failed, CancellationToken cancellationToken)
    {
        var destinations = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var run in failed)
        {
            // The record names its destination; older records do not, so the export's is looked up.
            var destination = run.Destination
                ?? _options.Value.Dataflows.GetValueOrDefault(run.DataflowId)?.Destination
                ?? (await _store.GetDataflowAsync(run.DataflowId, cancellationToken).ConfigureAwait(false))?.Definition.Destination;
            if (destination is not null && _options.Value.Destinations.ContainsKey(destination))
            {
                destinations.Add(destination);
            }
        }

        // A live writer writes continuously; one untouched for a whole lease belongs to no one.
        var untouchedSince = _time.GetUtcNow() - ExportStoreCore.RunLease;
        foreach (var name in destinations)
        {
            if (_catalog.GetDestination(name) is IAbandonedWriteCleanup cleanup)
            {
                var removed = await cleanup.RemoveAbandonedWritesAsync(untouchedSince, cancellationToken).ConfigureAwait(false);
                ExportsLog.AbandonedWritesRemoved(_logger, removed, name);
            }
        }
    }

    private async Task ExecuteAsync(ActiveRun run, Func<CancellationToken, Task<ExportPlan>> plan)
    {
        var holdsSlot = false;
        try
        {
            await _runner.ExecuteAsync(run, plan, async ct =>
            {
                await _slots.WaitAsync(ct).ConfigureAwait(false);
                holdsSlot = true;
            }, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ExportException)
        {
            // Recorded in the run: cancelled, or a planning problem named there.
        }
        catch (Exception ex)
        {
            ExportsLog.RunStartFailed(_logger, ex, run.RunId);
        }
        finally
        {
            if (holdsSlot)
            {
                _slots.Release();
            }

            _executing.TryRemove(run.RunId, out _);
        }
    }
}
