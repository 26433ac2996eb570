using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Exports.Sdk.AspNetCore;

/// <summary>One of the exports health checks, over <see cref="IExportsHealth"/>.</summary>
internal sealed class ExportsHealthCheck(IExportsHealth health, ExportsHealthCheck.Aspect aspect) : IHealthCheck
{
    public enum Aspect
    {
        Scheduler,
        Runs,
        Destinations,
    }

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var report = await health.CheckAsync(testDestinations: aspect == Aspect.Destinations, cancellationToken).ConfigureAwait(false);
        switch (aspect)
        {
            case Aspect.Scheduler:
                return report.Scheduler switch
                {
                    null => HealthCheckResult.Healthy("No in-process scheduler is registered."),
                    { IsRunning: false } => HealthCheckResult.Unhealthy("The exports scheduler is not running."),
                    { RetryingAudiences.Count: > 0 } s => HealthCheckResult.Degraded($"The exports scheduler is retrying {s.RetryingAudiences.Count} audience(s)."),
                    _ => HealthCheckResult.Healthy("The exports scheduler is running."),
                };
            case Aspect.Runs:
                var runs = report.Runs!;
                var summary = $"{runs.Running} run(s) running, {runs.Queued} queued on this host.";
                return runs.IsStuck && runs.OldestQueuedSince is { } since
                    ? HealthCheckResult.Degraded($"{summary} The oldest has waited since {since:u}: the run queue looks stuck.")
                    : HealthCheckResult.Healthy(summary);
            default:
                var unreachable = report.Destinations.Where(d => d.Status == ExportsHealthStatus.Unhealthy).ToList();
                return unreachable.Count == 0
                    ? HealthCheckResult.Healthy($"{report.Destinations.Count} destination(s) reachable.")
                    : HealthCheckResult.Unhealthy(string.Join(" ", unreachable.Select(d => $"Destination '{d.Name}': {d.Message}")));
        }
    }
}
