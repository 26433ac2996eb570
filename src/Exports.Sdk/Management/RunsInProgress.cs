namespace Exports.Sdk;

/// <summary>
/// Whether an export has a run under way on any host: deleting the export meanwhile would let that run go on writing
/// files, and a manifest, for an export that no longer exists; starting its watermark over would be undone when the
/// run records its own.
/// </summary>
internal static class RunsInProgress
{
    /// <summary>A queued or running run of the export whose host still holds it (its lease not expired), or null.</summary>
    public static async Task<ExportRunRecord?> FindAsync(IExportStore store, string exportId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // A dead host's run does not count: its lease runs out and a host clears it; it must not block the delete meanwhile.
        bool Alive(ExportRunRecord run) => run.IsActive && (run.LeaseExpiresAt is null || run.LeaseExpiresAt > now);
        if (store is IExportStoreRunQueries queries)
        {
            foreach (var status in (ExportRunStatus[])[ExportRunStatus.Running, ExportRunStatus.Queued])
            {
                var page = await queries.SearchRunsAsync(exportId, new RunQuery { Status = status, Take = 20 }, cancellationToken).ConfigureAwait(false);
                if (page.Items.FirstOrDefault(Alive) is { } run)
                {
                    return run;
                }
            }

            return null;
        }

        await foreach (var run in store.ListRunsAsync(exportId, cancellationToken).ConfigureAwait(false))
        {
            if (Alive(run))
            {
                return run;
            }
        }

        return null;
    }

    /// <summary>Refuses a change (<paramref name="refused"/>: "Dataflow 'x' cannot be deleted") while one of the export's runs is under way.</summary>
    /// <exception cref="ExportRunInProgressException">A run is under way.</exception>
    public static async Task RequireNoneAsync(IExportStore store, string exportId, string refused, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await FindAsync(store, exportId, now, cancellationToken).ConfigureAwait(false) is { } run)
        {
            throw new ExportRunInProgressException(
                $"{refused} while its run '{run.RunId}' is {run.Status.ToString().ToLowerInvariant()}: cancel the run or wait for it to end, then try again.");
        }
    }
}
