using System.Net;
using Exports.Sdk.ClusterTests;

namespace Exports.Sdk.AspNetCore.Tests;

/// <summary>Two hosts of the web sample on one PostgreSQL store and one destination folder.</summary>
public sealed class ClusterRunTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private ExportsWebFactory _hostA = null!;
    private ExportsWebFactory _hostB = null!;
    private string _root = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _root = Path.Combine(Path.GetTempPath(), "exports-cluster-" + Guid.NewGuid().ToString("N"));
        _hostA = new ExportsWebFactory(_root, _database.ConnectionString, "web-a");
        _hostB = new ExportsWebFactory(_root, _database.ConnectionString, "web-b");
    }

    public async Task DisposeAsync()
    {
        await _hostA.DisposeAsync();
        await _hostB.DisposeAsync();
        await _database.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task ARunStartedOnOneHost_IsFollowedAndCancelledFromTheOther_AndLeavesNothing()
    {
        var a = _hostA.Admin();
        var b = _hostB.Admin();
        (await a.PostJsonAsync("dataflows", Api.Dataflow("endless", TrickleAudienceSource.Name, TrickleAudienceSource.AudienceId))).Status.Should().Be(HttpStatusCode.Created);
        var (status, started, _) = await a.PostJsonAsync("dataflows/endless/export-now", new { audienceIds = new[] { TrickleAudienceSource.AudienceId } });
        status.Should().Be(HttpStatusCode.Accepted);
        var runId = started!["runId"]!.GetValue<string>();

        // Host B reads the progress host A saves, and sees it rise.
        var seen = await b.WaitForRunAsync(runId, r => r["progress"]?["rowsRead"]?.GetValue<long>() > 0);
        seen["host"]!.GetValue<string>().Should().Be("web-a");
        seen["status"]!.GetValue<string>().Should().Be("Running");
        var rows = seen["progress"]!["rowsRead"]!.GetValue<long>();
        await b.WaitForRunAsync(runId, r => r["progress"]!["rowsRead"]!.GetValue<long>() > rows);

        // Cancelled from host B: the request goes through the store to host A, which stops and records it.
        var (cancelStatus, requested, _) = await _hostB.ClientAs("bea", "Administrator").PostJsonAsync($"runs/{runId}/cancel");
        cancelStatus.Should().Be(HttpStatusCode.Accepted);
        requested!["cancelRequestedBy"]!.GetValue<string>().Should().Be("bea");

        var ended = await b.WaitForRunAsync(runId, Api.HasEnded);
        ended["status"]!.GetValue<string>().Should().Be("Cancelled");
        ended["errors"]![0]!.GetValue<string>().Should().Be("The run was cancelled at the request of bea.");
        (await a.GetJsonAsync($"runs/{runId}")).Body!["status"]!.GetValue<string>().Should().Be("Cancelled");
        _hostA.OutputFiles().Should().BeEmpty("no parts, no manifest, no temp file");

        // The audience is free again, from either host.
        var next = await b.PostJsonAsync("dataflows/endless/export-now", new { audienceIds = new[] { TrickleAudienceSource.AudienceId } });
        next.Status.Should().Be(HttpStatusCode.Accepted);
        await b.PostJsonAsync($"runs/{next.Body!["runId"]!.GetValue<string>()}/cancel");
        await b.WaitForRunAsync(next.Body!["runId"]!.GetValue<string>(), Api.HasEnded);
    }
}
