namespace Exports.Sdk;

/// <summary>What the built-in stores keep in memory of each run record, to order, count and pick runs without reading them.</summary>
internal sealed record RunSummary(DateTimeOffset CreatedAt, ExportRunStatus Status, bool IsActive, bool HasLeftovers)
{
    public static RunSummary Of(ExportRunRecord run) =>
        new(run.CreatedAt, run.Status, run.IsActive, run.LeftoverFiles.Count > 0 || run.LeftoverWrites.Count > 0);
}
