using System.Net;

namespace Exports.Sdk.AspNetCore.Tests;

/// <summary>A host that stops (or dies) mid-run, and the host that starts after it on the same store.</summary>
public sealed class HostRestartTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "exports-restart-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task AHostStoppedMidRun_RecordsTheRunCancelled_WithTheReason()
    {
        string runId;
        await using (var first = new ExportsWebFactory(_root))
        {
            var admin = first.Admin();
            (await admin.PostJsonAsync("dataflows", Api.Dataflow("endless", TrickleAudienceSource.Name, TrickleAudienceSource.AudienceId))).Status.Should().Be(HttpStatusCode.Created);
            runId = (await admin.PostJsonAsync("dataflows/endless/run")).Body!["runId"]!.GetValue<string>();
            await admin.WaitForRunAsync(runId, r => r["progress"]?["rowsRead"]?.GetValue<long>() > 0);
        }

        await using var second = new ExportsWebFactory(_root);
        var run = (await second.Admin().GetJsonAsync($"runs/{runId}")).Body!;
        run["status"]!.GetValue<string>().Should().Be("Cancelled");
        run["errors"]![0]!.GetValue<string>().Should().Be("The run was cancelled because its host stopped while it was in progress.");
        second.OutputFiles().Should().BeEmpty();
    }

    [Fact]
    public async Task ARunLeftRunningByADeadProcess_IsRecordedFailedWhenAHostStarts()
    {
        // What a killed process leaves: a claimed run whose host is gone.
        var store = new FileExportStore(Path.Combine(_root, "store"));
        var dead = new ExportRunRecord
        {
            RunId = "left-by-a-dead-host",
            DataflowId = "churn-risk",
            Status = ExportRunStatus.Running,
            AudienceIds = ["churn-risk"],
            ScheduledTime = DateTimeOffset.UtcNow,
            CreatedAt = DateTimeOffset.UtcNow,
            StartedAt = DateTimeOffset.UtcNow,
            Host = $"{Environment.MachineName}/{int.MaxValue}",
        };
        await store.SaveRunAsync(dead);

        await using var host = new ExportsWebFactory(_root);
        var run = (await host.Admin().GetJsonAsync("runs/left-by-a-dead-host")).Body!;
        run["status"]!.GetValue<string>().Should().Be("Failed");
        run["errors"]![0]!.GetValue<string>().Should().Contain($"its host {Environment.MachineName}/{int.MaxValue} stopped before the run ended");
        run["endedAt"].Should().NotBeNull();
    }
}
