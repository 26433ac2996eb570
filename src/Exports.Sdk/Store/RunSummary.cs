namespace Exports.Sdk;

/// <summary>What the built-in stores keep in memory of each run record, to order, count and pick runs without reading them.</summary>
internal sealed record RunSummary(DateTimeOffset CreatedAt, ExportRunStatus Status, bool HasLeftovers)
{
    /// <summary>As <see cref="ExportRunRecord.IsActive"/>.</summary>
    public bool IsActive => Status is ExportRunStatus.Queued or ExportRunStatus.Running;

    public static RunSummary Of(ExportRunRecord run) =>
        new(run.CreatedAt, run.Status, run.LeftoverFiles.Count > 0 || run.LeftoverWrites.Count > 0);
}
