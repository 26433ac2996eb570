namespace Exports.Sdk;

/// <summary>
/// Optional for an <see cref="IExportStore"/> (the built-in stores implement it): answers the two questions asked of a
/// run history often (before every run, on every page of runs) without reading it whole, as histories grow for as long
/// as an export runs. A store without it is read through <see cref="IExportStore.ListRunsAsync"/>.
/// </summary>
public interface IExportStoreRunQueries
{
    /// <summary>
    /// Lists a dataflow's runs, active ones included, whose <see cref="ExportRunRecord.LeftoverFiles"/> or
    /// <see cref="ExportRunRecord.LeftoverWrites"/> are not empty, in any order (the clean-up before each run).
    /// </summary>
    /// <param name="dataflowId">The dataflow or dataset export id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The runs.</returns>
    IAsyncEnumerable<ExportRunRecord> ListRunsWithLeftoversAsync(string dataflowId, CancellationToken cancellationToken = default);

    /// <summary>
    /// One page of a dataflow's runs with the query's status, in the order of <see cref="IExportStore.ListRunsAsync"/>
    /// (newest first, then by run id, ordinal, descending), and how many match in all.
    /// </summary>
    /// <param name="dataflowId">The dataflow or dataset export id.</param>
    /// <param name="query">The status to match (null for any) and the page (already checked).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page and the number of matching runs.</returns>
    ValueTask<ExportPage<ExportRunRecord>> SearchRunsAsync(string dataflowId, RunQuery query, CancellationToken cancellationToken = default);
}
