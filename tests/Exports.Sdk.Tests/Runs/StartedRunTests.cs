using Exports.Sdk.Tests.Fixtures;
using Exports.Sdk.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Exports.Sdk.Tests.Runs;

/// <summary>Runs that start and return: queued beyond the concurrency limit, followed by id, cancelled by id.</summary>
public sealed class StartedRunTests
{
    [Fact]
    public async Task StartedRuns_ReturnAtOnce_AndBeyondTheLimitWaitQueued()
    {
        var gated = new GatedAudienceSource(ManagementHost.DefaultSource());
        await using var host = new ManagementHost(source: gated, configure: b => b.Services.Configure<ExportsOptions>(o => o.Runs.MaxConcurrentRuns = 1));
        var first = (await host.Manager.CreateAsync(Callers.Admin, ManagementHost.Dataflow("First"))).Definition.Id;
        var second = (await host.Manager.CreateAsync(Callers.Admin, ManagementHost.Dataflow("Second", "partner-sftp"))).Definition.Id;

        var running = await host.Manager.StartRunAsync(Callers.Admin, first);
        await gated.Entered.WaitAsync(TimeSpan.FromSeconds(30));
        var waiting = await host.Manager.StartRunAsync(Callers.Admin, second);

        running.Status.Should().Be(ExportRunStatus.Queued, "the start returns before the run executes");
        (await host.Manager.GetRunAsync(Callers.Admin, running.RunId))!.Status.Should().Be(ExportRunStatus.Running);
        (await host.Manager.GetRunAsync(Callers.Admin, waiting.RunId))!.Status.Should().Be(ExportRunStatus.Queued, "one run at a time on this host");

        gated.Open();
        var ended = await WaitEndedAsync(host, waiting.RunId);
        ended.Status.Should().Be(ExportRunStatus.Succeeded);
        (await WaitEndedAsync(host, running.RunId)).Status.Should().Be(ExportRunStatus.Succeeded);
        ended.StartedAt.Should().NotBeNull();
    }

    [Fact]
    public async Task CancelRunAsync_StopsARunningAndAQueuedRun_LeavingNothing_AndRefusesAnEndedOne()
    {
        var gated = new GatedAudienceSource(ManagementHost.DefaultSource());
        await using var host = new ManagementHost(source: gated, configure: b => b.Services.Configure<ExportsOptions>(o => o.Runs.MaxConcurrentRuns = 1));
        var first = (await host.Manager.CreateAsync(Callers.Admin, ManagementHost.Dataflow("First"))).Definition.Id;
        var second = (await host.Manager.CreateAsync(Callers.Admin, ManagementHost.Dataflow("Second", "partner-sftp"))).Definition.Id;
        var running = await host.Manager.StartRunAsync(Callers.Admin, first);
        await gated.Entered.WaitAsync(TimeSpan.FromSeconds(30));
        var queued = await host.Manager.StartRunAsync(Callers.Admin, second);

        (await host.Manager.CancelRunAsync(Callers.Admin, queued.RunId))!.CancelRequestedAt.Should().NotBeNull();
        (await host.Manager.CancelRunAsync(Callers.Admin, running.RunId))!.CancelRequestedBy.Should().Be(Callers.Admin.Identity!.Name);

        foreach (var id in new[] { running.RunId, queued.RunId })
        {
            var ended = await WaitEndedAsync(host, id);
            ended.Status.Should().Be(ExportRunStatus.Cancelled);
            ended.Errors.Should().Equal($"The run was cancelled at the request of {Callers.Admin.Identity!.Name}.");
        }

        host.Destinations.Get("crm-drop").Files.Should().BeEmpty();
        host.Destinations.Get("partner-sftp").Files.Should().BeEmpty();
        var refused = () => host.Manager.CancelRunAsync(Callers.Admin, running.RunId);
        (await refused.Should().ThrowAsync<ExportRunNotActiveException>()).Which.Message.Should().Contain("already ended (Cancelled)");
        (await host.Manager.CancelRunAsync(Callers.Admin, "no-such-run")).Should().BeNull();
    }

    [Fact]
    public async Task ExportNowAsync_StillWaitsForTheEnd_AndSearchRunsPagesByStatus()
    {
        await using var host = new ManagementHost();
        var id = (await host.Manager.CreateAsync(Callers.Admin, ManagementHost.Dataflow())).Definition.Id;
        var done = await host.Manager.ExportNowAsync(Callers.Admin, id, ["vip"]);
        done.Status.Should().Be(ExportRunStatus.Succeeded);
        host.Clock.Advance(TimeSpan.FromMinutes(1));
        await host.Manager.ExportNowAsync(Callers.Admin, id, ["churn"]);

        var page = await host.Manager.SearchRunsAsync(Callers.Admin, id, new RunQuery { Status = ExportRunStatus.Succeeded, Skip = 1, Take = 1 });
        page.TotalCount.Should().Be(2);
        page.Items.Should().ContainSingle().Which.RunId.Should().Be(done.RunId, "newest first, the first run is second");
        (await host.Manager.SearchRunsAsync(Callers.Admin, id, new RunQuery { Status = ExportRunStatus.Failed })).TotalCount.Should().Be(0);
        var bad = () => host.Manager.SearchRunsAsync(Callers.Admin, id, new RunQuery { Take = 0 });
        await bad.Should().ThrowAsync<ExportValidationException>().WithMessage("*take between 1 and 500*");
    }

    private static async Task<ExportRunRecord> WaitEndedAsync(ManagementHost host, string runId)
    {
        for (var i = 0; i < 300; i++)
        {
            if (await host.Manager.GetRunAsync(Callers.Admin, runId) is { IsActive: false } run)
            {
                return run;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Run {runId} did not end.");
    }
}
