namespace Exports.Sdk;

/// <summary>Runs dataset exports: reads a dataset from its source and writes its files and the manifest.</summary>
public interface IDatasetExportRunner
{
    /// <summary>Runs a dataset export now and returns what it did, including the watermark to pass next time.</summary>
    /// <param name="definition">The dataset export.</param>
    /// <param name="request">The run id, time and incremental starting point.</param>
    /// <param name="progress">Receives progress after each batch (<see cref="ExportProgress.SourceId"/> is the dataset id); may be null.</param>
    /// <param name="cancellationToken">
    /// Cancels the run: the open file is aborted, committed parts are deleted, no manifest is written, and
    /// <see cref="OperationCanceledException"/> is thrown.
    /// </param>
    /// <returns>
    /// The run result, with one entry: the dataset. A failure is reported in it, not thrown: nothing is left at the
    /// destination and the entry's <see cref="ExportEntryResult.Watermark"/> stays at <see cref="DatasetRunRequest.Since"/>.
    /// </returns>
    /// <exception cref="ExportValidationException">The export names an unknown source, destination or format, or is incomplete.</exception>
    Task<ExportRunResult> RunAsync(DatasetExportDefinition definition, DatasetRunRequest request, IProgress<ExportProgress>? progress = null, CancellationToken cancellationToken = default);
}
