namespace Exports.Sdk.AspNetCore;

/// <summary>
/// The API's contract in one place: every route (relative to the group <c>MapExportsApi</c> maps) and the endpoint
/// names links are made from. docs/http-api.md and the checked-in OpenAPI document describe the same table.
/// </summary>
internal static class ExportsApiRoutes
{
    public const string DestinationTypes = "destination-types";
    public const string Destinations = "destinations";
    public const string Destination = "destinations/{name}";
    public const string DestinationShare = "destinations/{name}/shares/{contributor}";
    public const string TestDestination = "destinations/{name}/test";
    public const string TestNewDestination = "destinations/test";
    public const string Sources = "sources";
    public const string SourceAudiences = "sources/{name}/audiences";
    public const string SourceAttributes = "sources/{name}/attributes";
    public const string Dataflows = "dataflows";
    public const string Dataflow = "dataflows/{id}";
    public const string DuplicateDataflow = "dataflows/{id}/duplicate";
    public const string Schedule = "dataflows/{id}/schedule";
    public const string Schedules = "dataflows/schedules";
    public const string ExportNow = "dataflows/{id}/export-now";
    public const string RunDataflow = "dataflows/{id}/run";
    public const string RunAll = "run-all";
    public const string DataflowRuns = "dataflows/{id}/runs";
    public const string DatasetSources = "dataset-sources";
    public const string DatasetSourceDatasets = "dataset-sources/{name}/datasets";
    public const string DatasetExports = "dataset-exports";
    public const string DatasetExport = "dataset-exports/{id}";
    public const string DuplicateDatasetExport = "dataset-exports/{id}/duplicate";
    public const string DatasetExportSchedule = "dataset-exports/{id}/schedule";
    public const string RunDatasetExport = "dataset-exports/{id}/run";
    public const string DatasetExportRuns = "dataset-exports/{id}/runs";
    public const string Run = "runs/{runId}";
    public const string CancelRun = "runs/{runId}/cancel";
    public const string Caller = "me";
    public const string FileNamePreview = "file-names/preview";

    /// <summary>Endpoint names, for <c>Location</c> headers.</summary>
    public const string GetDataflowName = "Exports.GetDataflow";
    public const string GetRunName = "Exports.GetRun";
    public const string GetDestinationName = "Exports.GetDestination";
    public const string GetDatasetExportName = "Exports.GetDatasetExport";

    /// <summary>The OpenAPI tag of every endpoint.</summary>
    public const string Tag = "Exports";
}
