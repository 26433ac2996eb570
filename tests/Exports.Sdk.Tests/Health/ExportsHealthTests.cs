using Exports.Sdk.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Exports.Sdk.Tests.Health;

public sealed class ExportsHealthTests : IDisposable
{
    private readonly TempFolder _drop = new();
    private readonly FlakyDestinationProvider _flaky = new();

    [Fact]
    public async Task CheckAsync_RunningSchedulerAndWritableDestinations_IsHealthy()
    {
        await using var host = Host();
        var scheduler = host.Services.GetServices<IHostedService>().OfType<ExportScheduler>().Single();
        await scheduler.StartAsync(CancellationToken.None);
        try
        {
            var report = await host.Services.GetRequiredService<IExportsHealth>().CheckAsync(testDestinations: true);

            report.Status.Should().Be(ExportsHealthStatus.Healthy);
            report.Scheduler!.IsRunning.Should().BeTrue();
            report.Destinations.Select(d => (d.Name, d.Status)).Should().Contain(("drop", ExportsHealthStatus.Healthy));
            report.Destinations.Should().HaveCount(3);
        }
        finally
        {
            await scheduler.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task CheckAsync_SchedulerStopped_IsUnhealthy_AndFailingRunsMakeItDegraded()
    {
        await using var host = Host();
        var health = host.Services.GetRequiredService<IExportsHealth>();

        (await health.CheckAsync()).Status.Should().Be(ExportsHealthStatus.Unhealthy, "the scheduler is not running");

        var scheduler = host.Services.GetRequiredService<ExportScheduler>();
        await scheduler.StartAsync(CancellationToken.None);
        try
        {
            var dataflow = ManagementHost.Dataflow("Nightly", "drop", "vip");
            var created = await host.Manager.CreateAsync(Callers.Admin, dataflow);
            _flaky.FailDataFiles = true;
            host.Clock.SetUtcNow(new DateTimeOffset(2026, 6, 15, 6, 31, 0, TimeSpan.Zero));
            await scheduler.TickAsync(CancellationToken.None);
            await scheduler.WhenIdleAsync();

            var report = await health.CheckAsync();

            report.Status.Should().Be(ExportsHealthStatus.Degraded);
            report.Scheduler!.RetryingAudiences.Should().Equal($"{created.Definition.Id}/vip");
        }
        finally
        {
            await scheduler.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task CheckAsync_DestinationThatFails_IsUnhealthyNamingIt()
    {
        await using var host = Host(b => b.AddLocalFolderDestination("blocked", Path.Combine(_drop.Root, "file-not-folder")));
        await File.WriteAllTextAsync(Path.Combine(_drop.Root, "file-not-folder"), "a file where the folder should be");

        var report = await host.Services.GetRequiredService<IExportsHealth>().CheckAsync(testDestinations: true);

        report.Status.Should().Be(ExportsHealthStatus.Unhealthy);
        report.Destinations.Should().ContainSingle(d => d.Status == ExportsHealthStatus.Unhealthy)
            .Which.Message.Should().Contain("Destination 'blocked'");
    }

    [Fact]
    public async Task CheckAsync_ADestinationCreatedAtRunTime_IsTestedToo()
    {
        await using var host = Host(b => b.Services.Configure<ExportsOptions>(o => o.RunTimeLocalRoot = _drop.Root));
        await File.WriteAllTextAsync(Path.Combine(_drop.Root, "not-a-folder"), "a file where the folder should be");
        await host.Services.GetRequiredService<IDestinationManager>().CreateAsync(Callers.Admin,
            new DestinationDefinition { Name = "made-later", Type = LocalFolderDestinationProvider.TypeName, Settings = { ["path"] = Path.Combine(_drop.Root, "not-a-folder") } });

        var report = await host.Services.GetRequiredService<IExportsHealth>().CheckAsync(testDestinations: true);

        report.Destinations.Select(d => d.Name).Should().Contain(["drop", "made-later"]);
        report.Destinations.Single(d => d.Name == "made-later").Status.Should().Be(ExportsHealthStatus.Unhealthy);
    }

    public void Dispose() => _drop.Dispose();

    private ManagementHost Host(Action<IExportsBuilder>? more = null) => new(
        null,
        null,
        b =>
        {
            b.AddDestinationProvider(_flaky)
                .AddDestination("drop", FlakyDestinationProvider.TypeName, d => d.Settings["path"] = _drop.Root)
                .AddScheduler();
            more?.Invoke(b);
        },
        new FakeTimeProvider(new DateTimeOffset(2026, 6, 15, 6, 0, 0, TimeSpan.Zero)));
}
