namespace Exports.Sdk;

/// <summary>
/// Runs dataset exports on the one run path: the dataset planner's plan, claimed and recorded in the store under the
/// dataset export's id (entry: the dataset), through the one export pipeline.
/// </summary>
internal sealed class DatasetExportRunner(DatasetPlanner planner, ExportRunner runner, ExportRunQueue queue) : IDatasetExportRunner
{
    public async Task<ExportRunResult> RunAsync(DatasetExportDefinition definition, DatasetRunRequest request, IProgress<ExportProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(request);
        var (_, result) = await RunAsync(definition, request, null, ExportRunTrigger.OnDemand, progress, cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>Runs on the caller's flow (a schedule's slot, with its incremental window) and returns the stored record too.</summary>
    internal async Task<(ExportRunRecord Record, ExportRunResult Result)> RunAsync(
        DatasetExportDefinition definition, DatasetRunRequest request, DatasetIncrement? increment, ExportRunTrigger trigger, IProgress<ExportProgress>? progress, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (trigger == ExportRunTrigger.Scheduled)
        {
            // A slot is recorded whatever happens, a planning problem included (the export may have been edited since).
            var slot = runner.NewRecord(ExportFlowKind.DatasetExport, definition.Id, definition.Destination, [definition.DatasetId], trigger, request.RunId, request.ScheduledTime, requestedBy: null);
            return await runner.RunRecordedAsync(slot, ct => planner.PlanAsync(definition, request with { RunId = slot.RunId, ScheduledTime = slot.ScheduledTime }, increment, ct), progress, cancellationToken).ConfigureAwait(false);
        }

        // Called from code: an invalid export is refused before anything is claimed or recorded.
        var plan = await planner.PlanAsync(definition, request, increment, cancellationToken).ConfigureAwait(false);
        var record = runner.NewRecord(ExportFlowKind.DatasetExport, definition.Id, definition.Destination, [definition.DatasetId], trigger, plan.RunId, plan.ScheduledTime, requestedBy: null);
        return await runner.RunRecordedAsync(record, _ => Task.FromResult(plan), progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Claims a full run now (the watermark untouched) and queues it on this host; returns at once.</summary>
    /// <exception cref="ExportRunInProgressException">The dataset export is already running.</exception>
    internal async Task<ActiveRun> StartAsync(DatasetExportDefinition definition, string? requestedBy, IProgress<ExportProgress>? progress, CancellationToken cancellationToken)
    {
        var record = runner.NewRecord(ExportFlowKind.DatasetExport, definition.Id, definition.Destination, [definition.DatasetId], ExportRunTrigger.OnDemand, null, null, requestedBy, queued: true);
        var run = await runner.ClaimAsync(record, cancellationToken).ConfigureAwait(false);
        run.AddListener(progress);
        queue.Enqueue(run, ct => planner.PlanAsync(definition, new DatasetRunRequest { RunId = run.Record.RunId, ScheduledTime = run.Record.ScheduledTime }, null, ct));
        return run;
    }
}
