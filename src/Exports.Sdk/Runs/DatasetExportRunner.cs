namespace Exports.Sdk;

/// <summary>Runs dataset exports: the dataset planner's plan through the one export pipeline.</summary>
internal sealed class DatasetExportRunner(DatasetPlanner planner, ExportPipeline pipeline) : IDatasetExportRunner
{
    public async Task<ExportRunResult> RunAsync(DatasetExportDefinition definition, DatasetRunRequest request, IProgress<ExportProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return await pipeline.RunAsync(planner.Plan(definition, request), progress, cancellationToken).ConfigureAwait(false);
    }
}
