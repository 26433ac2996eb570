using System.IO.Compression;
using System.Net;

namespace Exports.Sdk.AspNetCore.Tests;

public sealed class RunEndpointTests : IAsyncLifetime
{
    private readonly ExportsWebFactory _web = new();
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _admin = _web.Admin();
        // A dataflow whose run only ends when cancelled.
        (await _admin.PostJsonAsync("dataflows", Api.Dataflow("endless", TrickleAudienceSource.Name, TrickleAudienceSource.AudienceId))).Status.Should().Be(HttpStatusCode.Created);
    }

    public async Task DisposeAsync() => await _web.DisposeAsync();

    [Fact]
    public async Task ExportNow_Answers202AtOnce_AndTheRunEndsWithItsFilesAtTheDestination()
    {
        var (status, body, response) = await _admin.PostJsonAsync("dataflows/demo/export-now", new { audienceIds = new[] { "demo-audience" } });
        status.Should().Be(HttpStatusCode.Accepted);
        var runId = body!["runId"]!.GetValue<string>();
        response.Headers.Location!.OriginalString.Should().Be($"/exports/api/runs/{runId}");
        body["status"]!.GetValue<string>().Should().BeOneOf("Queued", "Running");
        body["requestedBy"]!.GetValue<string>().Should().Be("ada");

        var run = await _admin.WaitForRunAsync(runId, Api.HasEnded);
        run["status"]!.GetValue<string>().Should().Be("Succeeded");
        run["rowsExported"]!.GetValue<long>().Should().Be(20_000);
        var files = run["entries"]![0]!["files"]!.AsArray();
        files.Should().NotBeEmpty();

        // Read back from the folder itself: the rows are there, and the manifest names every file.
        long rows = 0;
        foreach (var file in files)
        {
            await using var gzip = new GZipStream(File.OpenRead(Path.Combine(_web.OutputPath, file!["path"]!.GetValue<string>())), CompressionMode.Decompress);
            using var reader = new StreamReader(gzip);
            var lines = (await reader.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            rows += lines.Length - 1;
        }

        rows.Should().Be(20_000);
        File.Exists(Path.Combine(_web.OutputPath, run["manifestPath"]!.GetValue<string>())).Should().BeTrue();
    }

    [Fact]
    public async Task ExportNow_OverEightyAudiences_IsABadRequest()
    {
        var (status, body, _) = await _admin.PostJsonAsync("dataflows/demo/export-now", new { audienceIds = Enumerable.Range(0, 81).Select(i => $"a{i}").ToArray() });
        status.Should().Be(HttpStatusCode.BadRequest);
        body!["detail"]!.GetValue<string>().Should().Contain("81 audiences").And.Contain("at most 80");
    }

    [Fact]
    public async Task ExportNow_OfAnAudienceNotInTheDataflow_OrOutOfItsWindow_IsUnprocessable()
    {
        var notIn = await _admin.PostJsonAsync("dataflows/demo/export-now", new { audienceIds = new[] { "newsletter" } });
        notIn.Status.Should().Be(HttpStatusCode.UnprocessableEntity);
        notIn.Body!["detail"]!.GetValue<string>().Should().Be("Audience 'newsletter' is not part of dataflow 'demo'.");

        (await _admin.PostJsonAsync("dataflows", Api.Dataflow("later", startDate: "2099-01-01"))).Status.Should().Be(HttpStatusCode.Created);
        var outside = await _admin.PostJsonAsync("dataflows/later/export-now", new { audienceIds = new[] { "demo-audience" } });
        outside.Status.Should().Be(HttpStatusCode.UnprocessableEntity);
        outside.Body!["detail"]!.GetValue<string>().Should().Contain("its schedule runs from 2099-01-01");
        (await _admin.GetJsonAsync("dataflows/later/runs")).Body!["totalCount"]!.GetValue<int>().Should().Be(0);
    }

    [Fact]
    public async Task ExportNow_OfAnUnknownDataflow_Is404()
    {
        var (status, body, _) = await _admin.PostJsonAsync("dataflows/nope/export-now", new { audienceIds = new[] { "a" } });
        status.Should().Be(HttpStatusCode.NotFound);
        body!["detail"]!.GetValue<string>().Should().Be("There is no dataflow 'nope'.");
    }

    [Fact]
    public async Task ExportNow_WhileTheAudienceIsBeingExported_Is409WithTheSeedsText()
    {
        var first = await _admin.PostJsonAsync("dataflows/endless/export-now", new { audienceIds = new[] { TrickleAudienceSource.AudienceId } });
        var runId = first.Body!["runId"]!.GetValue<string>();

        var (status, body, _) = await _admin.PostJsonAsync("dataflows/endless/export-now", new { audienceIds = new[] { TrickleAudienceSource.AudienceId } });
        status.Should().Be(HttpStatusCode.Conflict);
        body!["detail"]!.GetValue<string>().Should().Be($"A run is already in progress for audience 'endless' on dataflow 'endless' (run '{runId}').");
        body["conflicts"]![0]!["runId"]!.GetValue<string>().Should().Be(runId);

        (await _admin.PostJsonAsync($"runs/{runId}/cancel")).Status.Should().Be(HttpStatusCode.Accepted);
        await _admin.WaitForRunAsync(runId, Api.HasEnded);
    }

    [Fact]
    public async Task Cancel_StopsARunningRun_WhoseProgressRose_AndLeavesNothingAtTheDestination()
    {
        var (_, started, _) = await _admin.PostJsonAsync("dataflows/endless/run");
        var runId = started!["runId"]!.GetValue<string>();

        var first = await _admin.WaitForRunAsync(runId, r => r["progress"]?["rowsRead"]?.GetValue<long>() > 0);
        var read = first["progress"]!["rowsRead"]!.GetValue<long>();
        first["status"]!.GetValue<string>().Should().Be("Running");
        await _admin.WaitForRunAsync(runId, r => r["progress"]!["rowsRead"]!.GetValue<long>() > read);

        var (status, cancelled, response) = await _admin.PostJsonAsync($"runs/{runId}/cancel");
        status.Should().Be(HttpStatusCode.Accepted);
        response.Headers.Location!.OriginalString.Should().Be($"/exports/api/runs/{runId}");
        cancelled!["cancelRequestedBy"]!.GetValue<string>().Should().Be("ada");

        var ended = await _admin.WaitForRunAsync(runId, Api.HasEnded);
        ended["status"]!.GetValue<string>().Should().Be("Cancelled");
        ended["errors"]![0]!.GetValue<string>().Should().Be("The run was cancelled at the request of ada.");
        _web.OutputFiles().Should().BeEmpty("a cancelled run leaves no parts, no manifest and no temp file");

        var again = await _admin.PostJsonAsync($"runs/{runId}/cancel");
        again.Status.Should().Be(HttpStatusCode.Conflict);
        again.Body!["detail"]!.GetValue<string>().Should().Contain("already ended (Cancelled)");
    }

    [Fact]
    public async Task RunsOfAnUnknownId_Are404()
    {
        (await _admin.GetJsonAsync("runs/nope")).Status.Should().Be(HttpStatusCode.NotFound);
        (await _admin.PostJsonAsync("runs/nope/cancel")).Status.Should().Be(HttpStatusCode.NotFound);
        (await _admin.PostJsonAsync("dataflows/nope/run")).Status.Should().Be(HttpStatusCode.NotFound);
        var runsOfNothing = await _admin.GetJsonAsync("dataflows/nope/runs");
        runsOfNothing.Status.Should().Be(HttpStatusCode.NotFound);
        runsOfNothing.Body!["detail"]!.GetValue<string>().Should().Be("There is no dataflow or dataset export 'nope'.");
    }

    [Fact]
    public async Task Runs_AreListedNewestFirst_FilteredByStatus_AndPaged()
    {
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var (_, run, _) = await _admin.PostJsonAsync("dataflows/churn-risk/run");
            ids.Add(run!["runId"]!.GetValue<string>());
            await _admin.WaitForRunAsync(ids[^1], Api.HasEnded);
        }

        var (_, all, _) = await _admin.GetJsonAsync("dataflows/churn-risk/runs");
        all!["totalCount"]!.GetValue<int>().Should().Be(3);
        all["items"]!.AsArray().Select(r => r!["runId"]!.GetValue<string>()).Should().Equal(ids[2], ids[1], ids[0]);
        var metrics = all["items"]![0]!;
        metrics["rowsRead"]!.GetValue<long>().Should().Be(5_000);
        metrics["rowsExported"]!.GetValue<long>().Should().Be(5_000);
        metrics["bytes"]!.GetValue<long>().Should().BePositive();
        metrics["duration"]!.GetValue<string>().Should().NotBeNullOrEmpty();

        var (_, page, _) = await _admin.GetJsonAsync("dataflows/churn-risk/runs?status=Succeeded&skip=1&take=1");
        page!["totalCount"]!.GetValue<int>().Should().Be(3);
        page["items"]!.AsArray().Select(r => r!["runId"]!.GetValue<string>()).Should().Equal(ids[1]);

        (await _admin.GetJsonAsync("dataflows/churn-risk/runs?status=Failed")).Body!["totalCount"]!.GetValue<int>().Should().Be(0);
        (await _admin.GetJsonAsync("dataflows/churn-risk/runs?take=0")).Status.Should().Be(HttpStatusCode.BadRequest);
        var (undefined, undefinedBody, _) = await _admin.GetJsonAsync("dataflows/churn-risk/runs?status=99");
        undefined.Should().Be(HttpStatusCode.BadRequest, "a number is read as a status, and 99 is none");
        undefinedBody!["detail"]!.GetValue<string>().Should().Contain("Status '99' is not one of Queued");
    }

    [Fact]
    public async Task RunAll_StartsEveryActiveDataflow_AndSaysWhichWereSkipped()
    {
        var (status, body, _) = await _admin.PostJsonAsync("run-all");
        status.Should().Be(HttpStatusCode.Accepted);
        var started = body!["started"]!.AsArray().Select(r => r!["dataflowId"]!.GetValue<string>()).ToList();
        started.Should().BeEquivalentTo("demo", "weekly-newsletter", "endless");
        var skipped = body["skipped"]!.AsArray();
        skipped.Should().ContainSingle(s => s!["dataflowId"]!.GetValue<string>() == "churn-risk")
            .Which!["reason"]!.GetValue<string>().Should().Contain("schedule is switched off");

        foreach (var run in body["started"]!.AsArray())
        {
            var runId = run!["runId"]!.GetValue<string>();
            if (run["dataflowId"]!.GetValue<string>() == "endless")
            {
                await _admin.PostJsonAsync($"runs/{runId}/cancel");
            }

            await _admin.WaitForRunAsync(runId, Api.HasEnded);
        }
    }
}
