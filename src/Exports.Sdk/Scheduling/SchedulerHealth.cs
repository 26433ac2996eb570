namespace Exports.Sdk;

/// <summary>The in-process scheduler's state.</summary>
/// <param name="IsRunning">Whether its loop runs.</param>
/// <param name="LastTickAt">When it last read the schedules.</param>
/// <param name="RunningExports">Exports it is running now.</param>
/// <param name="RetryingAudiences">Audiences whose last scheduled run failed and waits for a retry, as <c>dataflow/audience</c>.</param>
public sealed record SchedulerHealth(bool IsRunning, DateTimeOffset? LastTickAt, int RunningExports, IReadOnlyList<string> RetryingAudiences);
