using Exports.Sdk;
using Exports.Sdk.AspNetCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the exports health checks to <c>services.AddHealthChecks()</c>.</summary>
public static class ExportsHealthChecksBuilderExtensions
{
    /// <summary>The tag of the liveness checks (the scheduler is running).</summary>
    public const string LiveTag = "live";

    /// <summary>The tag of the readiness checks (the scheduler is running, the run queue is not stuck).</summary>
    public const string ReadyTag = "ready";

    /// <summary>The tag of the on-demand check that tests every destination's connection (not in live or ready: it writes a probe to each).</summary>
    public const string DestinationsTag = "exports-destinations";

    /// <summary>
    /// Adds three checks: <c>exports-scheduler</c> (tags <see cref="LiveTag"/>, <see cref="ReadyTag"/>),
    /// <c>exports-runs</c> (<see cref="ReadyTag"/>: Degraded when a run has waited queued for over 10 minutes) and
    /// <c>exports-destinations</c> (<see cref="DestinationsTag"/>, on demand).
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <returns>The builder.</returns>
    public static IHealthChecksBuilder AddExports(this IHealthChecksBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Add(Registration("exports-scheduler", ExportsHealthCheck.Aspect.Scheduler, HealthStatus.Unhealthy, LiveTag, ReadyTag));
        builder.Add(Registration("exports-runs", ExportsHealthCheck.Aspect.Runs, HealthStatus.Degraded, ReadyTag));
        builder.Add(Registration("exports-destinations", ExportsHealthCheck.Aspect.Destinations, HealthStatus.Unhealthy, DestinationsTag));
        return builder;
    }

    private static HealthCheckRegistration Registration(string name, ExportsHealthCheck.Aspect aspect, HealthStatus failure, params string[] tags) =>
        new(name, services => new ExportsHealthCheck(services.GetRequiredService<IExportsHealth>(), aspect), failure, tags);
}
