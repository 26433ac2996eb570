using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Exports.Sdk;

/// <summary>Combines the scheduler's state and the destinations' connection tests into one report.</summary>
internal sealed class ExportsHealth(IDestinationCatalog catalog, IServiceProvider services, ActiveRuns activeRuns, TimeProvider timeProvider) : IExportsHealth
{
    /// <summary>How long a run may wait queued before the queue counts as stuck.</summary>
    public static readonly TimeSpan StuckAfter = TimeSpan.FromMinutes(10);

    public async Task<ExportsHealthReport> CheckAsync(bool testDestinations = false, CancellationToken cancellationToken = default)
    {
        var now = timeProvider.GetUtcNow();
        var status = ExportsHealthStatus.Healthy;
        SchedulerHealth? scheduler = null;
        if (services.GetService<ExportScheduler>() is { } inProcess)
        {
            scheduler = inProcess.GetHealth();
            var poll = services.GetRequiredService<IOptions<ExportSchedulerOptions>>().Value.PollInterval;
            if (!scheduler.IsRunning)
            {
                status = ExportsHealthStatus.Unhealthy;
            }
            else if (scheduler.RetryingAudiences.Count > 0 || (scheduler.LastTickAt is { } tick && now - tick > 3 * poll))
            {
                status = ExportsHealthStatus.Degraded;
            }
        }

        var records = activeRuns.Records;
        var queued = records.Where(r => r.Status == ExportRunStatus.Queued).ToList();
        DateTimeOffset? oldest = queued.Count == 0 ? null : queued.Min(r => r.CreatedAt);
        var runs = new RunQueueHealth(records.Count - queued.Count, queued.Count, oldest) { IsStuck = oldest is { } since && now - since > StuckAfter };
        if (runs.IsStuck && status == ExportsHealthStatus.Healthy)
        {
            status = ExportsHealthStatus.Degraded;
        }

        var destinations = new List<DestinationHealth>();
        if (testDestinations)
        {
            // Declared destinations and those created at run time alike.
            var all = catalog.Destinations.ToList();
            await foreach (var stored in services.GetRequiredService<IExportStore>().ListDestinationsAsync(cancellationToken).ConfigureAwait(false))
            {
                all.Add(stored.Definition);
            }

            foreach (var definition in all)
            {
                var health = await TestAsync(definition, cancellationToken).ConfigureAwait(false);
                destinations.Add(health);
                if (health.Status == ExportsHealthStatus.Unhealthy)
                {
                    status = ExportsHealthStatus.Unhealthy;
                }
            }
        }

        return new ExportsHealthReport(status, scheduler, destinations, now) { Runs = runs };
    }

    private async Task<DestinationHealth> TestAsync(DestinationDefinition definition, CancellationToken cancellationToken)
    {
        try
        {
            var destination = await catalog.GetDestinationAsync(definition.Name, cancellationToken).ConfigureAwait(false);
            var result = await destination.TestConnectionAsync(cancellationToken).ConfigureAwait(false);
            return new DestinationHealth(definition.Name, definition.Type, result.Succeeded ? ExportsHealthStatus.Healthy : ExportsHealthStatus.Unhealthy, result.Message, result.MissingPermission);
        }
        catch (ExportException ex)
        {
            // Messages of the SDK's exceptions name the destination and never hold secrets.
            return new DestinationHealth(definition.Name, definition.Type, ExportsHealthStatus.Unhealthy, ex.Message, null);
        }
    }
}
