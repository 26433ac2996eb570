namespace Exports.Sdk;

/// <summary>A dataflow's latest run, as listed beside it (the seeds' "refreshed" column).</summary>
/// <param name="RunId">The run id.</param>
/// <param name="Status">Its status.</param>
/// <param name="CreatedAt">When it was started.</param>
/// <param name="EndedAt">When it ended, if it has.</param>
public sealed record ExportRunSummary(string RunId, ExportRunStatus Status, DateTimeOffset CreatedAt, DateTimeOffset? EndedAt);
