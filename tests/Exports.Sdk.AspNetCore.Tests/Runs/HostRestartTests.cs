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
            DataflowId = "demo",
            Status = ExportRunStatus.Running,
            AudienceIds = ["demo-audience"],
            ScheduledTime = DateTimeOffset.UtcNow,
            CreatedAt = DateTimeOffset.UtcNow,
            StartedAt = DateTimeOffset.UtcNow,
            Host = $"{Environment.MachineName}/{int.MaxValue}",
        };
        await store.SaveRunAsync(dead);
        // And the temp file its writer was filling, untouched since it died; a recent one may be a live writer's.
        var output = Path.Combine(_root, "output");
        Directory.CreateDirectory(output);
        var abandoned = Path.Combine(output, ".exports-tmp-0123456789abcdef");
        var recent = Path.Combine(output, ".exports-tmp-fedcba9876543210");
        await File.WriteAllTextAsync(abandoned, "half a part");
        await File.WriteAllTextAsync(recent, "being written");
        File.SetLastWriteTimeUtc(abandoned, DateTime.UtcNow.AddMinutes(-10));

        await using var host = new ExportsWebFactory(_root);
        var run = (await host.Admin().GetJsonAsync("runs/left-by-a-dead-host")).Body!;
        run["status"]!.GetValue<string>().Should().Be("Failed");
        run["errors"]![0]!.GetValue<string>().Should().Contain($"its host {Environment.MachineName}/{int.MaxValue} stopped before the run ended");
        run["endedAt"].Should().NotBeNull();
        host.OutputFiles().Should().Equal(".exports-tmp-fedcba9876543210");
    }
}
