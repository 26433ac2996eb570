using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Exports.Sdk;

/// <summary>
/// Removes what ended runs left at their destination (<see cref="ExportRunRecord.LeftoverFiles"/> and
/// <see cref="ExportRunRecord.LeftoverWrites"/>): parts a rollback could not delete and uploads or temp files an abort
/// could not remove because the server was away, and all of those of a run whose host died. Runs before each run of the same
/// export and when a host starts, so a partner never keeps a part of a failed run once the server is back.
/// </summary>
internal sealed class LeftoverCleanup(IExportStore store, IDestinationCatalog catalog, IOptions<ExportsOptions> options, ILogger<LeftoverCleanup>? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger<LeftoverCleanup>.Instance;

    /// <summary>Per export, so a host's start-up pass and a run's own never clean the same runs at once.</summary>
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);

    /// <summary>
    /// Cleans up after the ended runs of one export. A run waits for a clean-up of its export already under way here
    /// (it may be about to remove a name the run writes again); a host's start-up pass skips such an export instead.
    /// </summary>
    public async Task CleanAsync(string flowId, CancellationToken cancellationToken, bool skipIfBusy = false)
    {
        var gate = _gates.GetOrAdd(flowId, static _ => new SemaphoreSlim(1, 1));
        if (!await gate.WaitAsync(skipIfBusy ? TimeSpan.Zero : Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        try
        {
            await CleanOneAsync(flowId, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task CleanOneAsync(string flowId, CancellationToken cancellationToken)
    {
        var dirty = new List<ExportRunRecord>();
        var runs = store is IExportStoreRunQueries index ? index.ListRunsWithLeftoversAsync(flowId, cancellationToken) : store.ListRunsAsync(flowId, cancellationToken);
        await foreach (var run in runs.ConfigureAwait(false))
        {
            if (!run.IsActive && (run.LeftoverFiles.Count > 0 || run.LeftoverWrites.Count > 0) && run.Destination is not null)
            {
                dirty.Add(run);
            }
        }

        foreach (var run in dirty)
        {
            IDestination destination;
            try
            {
                destination = await catalog.GetDestinationAsync(run.Destination!, cancellationToken).ConfigureAwait(false);
            }
            catch (ExportValidationException)
            {
                // The destination is gone from configuration: nothing this host can reach.
                continue;
            }

            var left = new List<string>();
            var claimed = false;
            foreach (var path in run.LeftoverFiles)
            {
                // A retry of the slot (same run id, on any host) may have claimed it meanwhile and be writing the same
                // names: then nothing more of it is this clean-up's to remove.
                if (!await IsUnchangedAsync(run, cancellationToken).ConfigureAwait(false))
                {
                    claimed = true;
                    break;
                }

                try
                {
                    await destination.DeleteAsync(path, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    ExportsLog.LeftoverFileRemovalFailed(_logger, ex, path, run.Destination!, run.RunId);
                    left.Add(path);
                }
            }

            if (claimed)
            {
                continue;
            }

            var writesLeft = new List<LeftoverWrite>();
            foreach (var write in run.LeftoverWrites)
            {
                try
                {
                    // A destination that cannot remove pending data has nothing more to try: the entry goes.
                    if (destination is IPendingWriteCleanup cleanup)
                    {
                        await cleanup.RemovePendingWriteAsync(write.Path, write.Token, cancellationToken).ConfigureAwait(false);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    ExportsLog.LeftoverFileRemovalFailed(_logger, ex, write.Path, run.Destination!, run.RunId);
                    writesLeft.Add(write);
                }
            }

            if (!await IsUnchangedAsync(run, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            try
            {
                await store.SaveRunAsync(run with { LeftoverFiles = left, LeftoverWrites = writesLeft }, cancellationToken).ConfigureAwait(false);
            }
            catch (ExportConcurrencyException)
            {
                // A retry of its slot claimed it since the check above: the record is that claim's now.
                continue;
            }

            var removed = run.LeftoverFiles.Count - left.Count + run.LeftoverWrites.Count - writesLeft.Count;
            if (removed > 0)
            {
                ExportsLog.LeftoverFilesRemoved(_logger, removed, run.RunId, run.DataflowId, run.Destination!);
            }
        }
    }

    /// <summary>Whether the stored record is still the ended run this clean-up read (not replaced by a retry's claim).</summary>
    private async Task<bool> IsUnchangedAsync(ExportRunRecord run, CancellationToken cancellationToken) =>
        await store.GetRunAsync(run.DataflowId, run.RunId, cancellationToken).ConfigureAwait(false) is { IsActive: false } current
            && current.CreatedAt == run.CreatedAt && current.Host == run.Host;

    /// <summary>Cleans up after the ended runs of every export this host knows (configured and stored), and of <paramref name="more"/>.</summary>
    public async Task CleanAllAsync(IEnumerable<string> more, CancellationToken cancellationToken)
    {
        // The exports of runs a dead host left (one-off dataset exports among them, which are not stored) come in more.
        var ids = new HashSet<string>(options.Value.Dataflows.Keys.Concat(options.Value.DatasetExports.Keys).Concat(more), StringComparer.Ordinal);
        await foreach (var stored in store.ListDataflowsAsync(cancellationToken).ConfigureAwait(false))
        {
            ids.Add(stored.Definition.Id);
        }

        await foreach (var stored in store.ListDatasetExportsAsync(cancellationToken).ConfigureAwait(false))
        {
            ids.Add(stored.Definition.Id);
        }

        foreach (var id in ids)
        {
            await CleanAsync(id, cancellationToken, skipIfBusy: true).ConfigureAwait(false);
        }
    }
}
