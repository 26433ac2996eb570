namespace Exports.Sdk;

/// <summary>What "run all" started, and which dataflows it skipped and why.</summary>
/// <param name="Started">The runs started (queued or running).</param>
/// <param name="Skipped">The dataflows not run, each with the reason.</param>
public sealed record RunAllResult(IReadOnlyList<ExportRunRecord> Started, IReadOnlyList<SkippedDataflow> Skipped);

/// <summary>A dataflow that "run all" did not run.</summary>
/// <param name="DataflowId">The dataflow id.</param>
/// <param name="Reason">Why: schedule off, no schedule, not allowed, already running.</param>
public sealed record SkippedDataflow(string DataflowId, string Reason);
