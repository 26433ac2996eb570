namespace Exports.Sdk;

/// <summary>
/// Runs dataset exports on the one run path: the dataset planner's plan, claimed and recorded in the store under the
/// dataset export's id (entry: the dataset), through the one export pipeline.
/// </summary>
internal sealed class DatasetExportRunner(DatasetPlanner planner, ExportRunner runner) : IDatasetExportRunner
{
    public async Task<ExportRunResult> RunAsync(DatasetExportDefinition definition, DatasetRunRequest request, IProgress<ExportProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        // Planned first: an invalid export is refused before anything is claimed or recorded.
        var plan = await planner.PlanAsync(definition, request, cancellationToken).ConfigureAwait(false);
        var record = runner.NewRecord(ExportFlowKind.DatasetExport, definition.Id, definition.Destination, [definition.DatasetId], ExportRunTrigger.OnDemand, plan.RunId, plan.ScheduledTime, requestedBy: null);
        var (_, result) = await runner.RunRecordedAsync(record, _ => Task.FromResult(plan), progress, cancellationToken).ConfigureAwait(false);
        return result;
    }
}
