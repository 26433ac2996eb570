namespace Exports.Sdk;

/// <summary>
/// Runs dataflows: reads each audience from its source and writes its files and the manifest. Every run is claimed and
/// recorded in the <see cref="IExportStore"/>, as runs started by the scheduler or the management API are, so it is
/// listed in the dataflow's run history.
/// </summary>
public interface IExportRunner
{
    /// <summary>Runs a dataflow now for the requested audiences and returns what it did.</summary>
    /// <param name="dataflow">The dataflow.</param>
    /// <param name="request">Which audiences, the run id and time.</param>
    /// <param name="progress">Receives progress after each batch; may be null.</param>
    /// <param name="cancellationToken">
    /// Cancels the run: the open file is aborted, the cancelled audience's committed parts are deleted, no manifest is
    /// written, and <see cref="OperationCanceledException"/> is thrown.
    /// </param>
    /// <returns>The run result; audience failures are reported in it, not thrown.</returns>
    /// <exception cref="ExportValidationException">The request names an unknown destination, source or audience.</exception>
    /// <exception cref="ExportRunInProgressException">One of the audiences is being exported by another run of the dataflow.</exception>
    Task<ExportRunResult> RunAsync(DataflowDefinition dataflow, ExportRunRequest request, IProgress<ExportProgress>? progress = null, CancellationToken cancellationToken = default);
}
