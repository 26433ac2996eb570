using Exports.Sdk.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace Exports.Sdk.Tests.Store;

/// <summary>
/// A container restarted after kill -9 runs again as the same host name and process id (PID 1): the run the killed
/// process left "Running" must not block its audience for ever (issue 21, item 2).
/// </summary>
public sealed class RestartedProcessTests
{
    [Fact]
    public async Task ARunLeftByAKilledProcessWithTheSameHostAndPid_IsRecordedFailed_AndTheNextSlotRuns()
    {
        using var folder = new TempFolder();
        await using var host = new ManagementHost(storePath: folder.Root);
        var dataflow = (await host.Manager.CreateAsync(Callers.Admin, ManagementHost.Dataflow(audiences: "vip"))).Definition;

        // What the killed process left: a run claimed under this very host name and PID, which this process never claimed.
        var killed = new ExportRunRecord
        {
            RunId = "killed-mid-run",
            DataflowId = dataflow.Id,
            Status = ExportRunStatus.Running,
            AudienceIds = ["vip"],
            ScheduledTime = ManagementHost.Now,
            CreatedAt = ManagementHost.Now,
            StartedAt = ManagementHost.Now,
            Host = ExportStoreCore.CurrentHost,
        };
        await new FileExportStore(folder.Root).SaveRunAsync(killed);

        var slot = new DateTimeOffset(2026, 6, 15, 6, 30, 0, TimeSpan.Zero);
        var next = await host.Services.GetRequiredService<IExportSlotRunner>().RunSlotAsync(ScheduledEntry.For(dataflow, dataflow.Audiences[0]), slot);

        next.Status.Should().Be(ExportRunStatus.Succeeded);
        var dead = await host.Store.GetRunAsync(dataflow.Id, "killed-mid-run");
        dead!.Status.Should().Be(ExportRunStatus.Failed);
        dead.Errors.Should().ContainSingle().Which.Should().Contain($"its host {ExportStoreCore.CurrentHost} stopped before the run ended");
    }

    [Fact]
    public async Task ARunThisProcessIsRunning_StillBlocksItsAudience()
    {
        using var folder = new TempFolder();
        var store = new FileExportStore(folder.Root);
        var live = new ExportRunRecord
        {
            RunId = "live",
            DataflowId = "df",
            Status = ExportRunStatus.Running,
            AudienceIds = ["vip"],
            ScheduledTime = ManagementHost.Now,
            CreatedAt = ManagementHost.Now,
        };
        (await store.TryStartRunAsync(live)).Started.Should().BeTrue();

        var second = await new FileExportStore(folder.Root).TryStartRunAsync(live with { RunId = "second" });
        second.Started.Should().BeFalse("the same process claimed it and has not ended it");
        second.Conflicts.Should().Equal(new RunConflict("vip", "live"));
        await store.SaveRunAsync(live with { Status = ExportRunStatus.Succeeded });
    }
}
