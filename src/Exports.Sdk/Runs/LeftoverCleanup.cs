using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Exports.Sdk;

/// <summary>
/// Removes what ended runs left at their destination (<see cref="ExportRunRecord.LeftoverFiles"/>): parts a rollback
/// could not delete because the server was away, and parts of a run whose host died. Runs before each run of the same
/// export and when a host starts, so a partner never keeps a part of a failed run once the server is back.
/// </summary>
internal sealed class LeftoverCleanup(IExportStore store, IDestinationCatalog catalog, IOptions<ExportsOptions> options, ILogger<LeftoverCleanup>? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger<LeftoverCleanup>.Instance;

    /// <summary>Cleans up after the ended runs of one export.</summary>
    public async Task CleanAsync(string flowId, CancellationToken cancellationToken)
    {
        var dirty = new List<ExportRunRecord>();
        await foreach (var run in store.ListRunsAsync(flowId, cancellationToken).ConfigureAwait(false))
        {
            if (!run.IsActive && run.LeftoverFiles.Count > 0 && run.Destination is not null)
            {
                dirty.Add(run);
            }
        }

        foreach (var run in dirty)
        {
            IDestination destination;
            try
            {
                destination = catalog.GetDestination(run.Destination!);
            }
            catch (ExportValidationException)
            {
                // The destination is gone from configuration: nothing this host can reach.
                continue;
            }

            var left = new List<string>();
            foreach (var path in run.LeftoverFiles)
            {
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

            await store.SaveRunAsync(run with { LeftoverFiles = left }, cancellationToken).ConfigureAwait(false);
            if (left.Count < run.LeftoverFiles.Count)
            {
                ExportsLog.LeftoverFilesRemoved(_logger, run.LeftoverFiles.Count - left.Count, run.RunId, run.DataflowId, run.Destination!);
            }
        }
    }

    /// <summary>Cleans up after the ended runs of every export this host knows (configured and stored).</summary>
    public async Task CleanAllAsync(CancellationToken cancellationToken)
    {
        var ids = new HashSet<string>(options.Value.Dataflows.Keys, StringComparer.Ordinal);
        await foreach (var stored in store.ListDataflowsAsync(cancellationToken).ConfigureAwait(false))
        {
            ids.Add(stored.Definition.Id);
        }

        foreach (var id in ids)
        {
            await CleanAsync(id, cancellationToken).ConfigureAwait(false);
        }
    }
}
