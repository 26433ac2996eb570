namespace Exports.Sdk;

/// <summary>A run a scheduler will start.</summary>
/// <param name="DataflowId">The dataflow (or dataset export) id.</param>
/// <param name="AudienceId">The audience (or dataset) id.</param>
/// <param name="Time">When the run is due (UTC).</param>
/// <param name="RunId">The run's deterministic id for that slot.</param>
public sealed record ScheduledRun(string DataflowId, string AudienceId, DateTimeOffset Time, string RunId);
