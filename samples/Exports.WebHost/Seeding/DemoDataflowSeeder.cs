using Exports.Sdk;
using Exports.Sdk.Testing;

namespace Exports.WebHost.Seeding;

/// <summary>Stores two editable demo dataflows on first start (the configured one is read-only), so the API has something to list and run.</summary>
internal sealed class DemoDataflowSeeder(IExportStore store) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var dataflow in Demo())
        {
            if (await store.GetDataflowAsync(dataflow.Id, cancellationToken) is null)
            {
                await store.CreateDataflowAsync(dataflow, cancellationToken);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static IEnumerable<DataflowDefinition> Demo()
    {
        var attributes = SyntheticAudienceSource.AttributeNames.ToList();
        yield return new DataflowDefinition
        {
            Id = "weekly-newsletter",
            Name = "Weekly newsletter",
            Source = "demo",
            Destination = "demo-folder",
            Attributes = attributes,
            Audiences =
            [
                new AudienceActivation
                {
                    AudienceId = "newsletter",
                    Schedule = new ExportSchedule { Frequency = ScheduleFrequency.Weekly, StartDate = new DateOnly(2026, 1, 1), StartTime = "06:00" },
                },
            ],
        };
        yield return new DataflowDefinition
        {
            Id = "churn-risk",
            Name = "Churn risk (on demand)",
            Source = "demo",
            Destination = "demo-folder",
            Attributes = ["profileId", "person.email"],
            ScheduleEnabled = false,
            Audiences = [new AudienceActivation { AudienceId = "churn-risk" }],
        };
    }
}
