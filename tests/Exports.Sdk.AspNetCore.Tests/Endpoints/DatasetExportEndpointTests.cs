using System.IO.Compression;
using System.Net;
using System.Text.Json.Nodes;

namespace Exports.Sdk.AspNetCore.Tests;

/// <summary>Issue 20: dataset exports over HTTP, beside the dataflows: picker, CRUD with ETags, schedule switch, run now, runs.</summary>
public sealed class DatasetExportEndpointTests : IAsyncLifetime
{
    private readonly ExportsWebFactory _web = new();
    private HttpClient _admin = null!;

    public Task InitializeAsync()
    {
        _admin = _web.Admin();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _web.DisposeAsync();

    [Fact]
    public async Task RunsOfOneKindOfExport_AreNotListedUnderTheOthersPath()
    {
        // Dataflows and dataset exports share one id space, and both run lists read the one runs API.
        var (asDataset, datasetProblem, _) = await _admin.GetJsonAsync("dataset-exports/churn-risk/runs");
        var (asDataflow, dataflowProblem, _) = await _admin.GetJsonAsync("dataflows/web-events/runs");

        asDataset.Should().Be(HttpStatusCode.NotFound);
        datasetProblem!["detail"]!.GetValue<string>().Should().Be("There is no dataset export 'churn-risk'; 'churn-risk' is a dataflow.");
        asDataflow.Should().Be(HttpStatusCode.NotFound);
        dataflowProblem!["detail"]!.GetValue<string>().Should().Be("There is no dataflow 'web-events'; 'web-events' is a dataset export.");
        (await _admin.GetJsonAsync("dataset-exports/web-events/runs")).Status.Should().Be(HttpStatusCode.OK);
        (await _admin.GetJsonAsync("dataflows/churn-risk/runs")).Status.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Picker_ListsSourcesAndDatasetsWithTheirColumns()
    {
        var viewer = _web.ClientAs("vic", "Viewer");
        var (_, sources, _) = await viewer.GetJsonAsync("dataset-sources");
        sources!.AsArray().Select(s => s!.GetValue<string>()).Should().Equal("demo-events");

        var (status, datasets, _) = await viewer.GetJsonAsync("dataset-sources/demo-events/datasets?search=web");
        status.Should().Be(HttpStatusCode.OK);
        var dataset = datasets!.AsArray().Should().ContainSingle().Subject!;
        dataset["id"]!.GetValue<string>().Should().Be("web-events");
        dataset["schema"]!.AsArray().Select(c => $"{c!["name"]}:{c["type"]}").Should().Equal("seq:Int64", "event:String", "page:String", "occurredAt:Timestamp");

        (await viewer.GetJsonAsync("dataset-sources/nope/datasets")).Status.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Lifecycle_CreateEditSwitchRunDuplicateDelete_WithETags_AndTheRunListedWithItsMetrics()
    {
        var (created, body, response) = await _admin.PostJsonAsync("dataset-exports", Export("events-json"));
        created.Should().Be(HttpStatusCode.Created, body?.ToJsonString());
        response.Headers.Location!.OriginalString.Should().Be("/exports/api/dataset-exports/events-json");
        var etag = response.ETag();

        var (listed, list, _) = await _admin.GetJsonAsync("dataset-exports?search=events-json");
        listed.Should().Be(HttpStatusCode.OK);
        var item = list!["items"]!.AsArray().Should().ContainSingle().Subject!;
        item["destinationType"]!.GetValue<string>().Should().Be("local");
        item["permissions"]!.GetValue<string>().Should().Be("View, Edit, Run");

        var edited = Export("events-json", template: "%DESTINATION_INSTANCE_NAME%/%DATASET_ID%/%EXPORT_TIME%");
        (await _admin.SendAsync(HttpMethod.Put, "dataset-exports/events-json", edited, ifMatch: "\"stale\"")).Status.Should().Be(HttpStatusCode.PreconditionFailed);
        (await _admin.SendAsync(HttpMethod.Put, "dataset-exports/events-json", edited)).Status.Should().Be((HttpStatusCode)428);
        var put = await _admin.SendAsync(HttpMethod.Put, "dataset-exports/events-json", edited, ifMatch: etag);
        put.Status.Should().Be(HttpStatusCode.OK);
        var off = await _admin.PostJsonAsync("dataset-exports/events-json/schedule", new { enabled = false }, ifMatch: put.Response.ETag());
        off.Body!["scheduleEnabled"]!.GetValue<bool>().Should().BeFalse();

        var (accepted, run, runResponse) = await _admin.PostJsonAsync("dataset-exports/events-json/run");
        accepted.Should().Be(HttpStatusCode.Accepted);
        var runId = run!["runId"]!.GetValue<string>();
        runResponse.Headers.Location!.OriginalString.Should().Be($"/exports/api/runs/{runId}");
        var ended = await _admin.WaitForRunAsync(runId, Api.HasEnded);
        ended["status"]!.GetValue<string>().Should().Be("Succeeded", ended.ToJsonString());
        ended["kind"]!.GetValue<string>().Should().Be("DatasetExport");

        var (_, runs, _) = await _admin.GetJsonAsync("dataset-exports/events-json/runs");
        var listedRun = runs!["items"]!.AsArray().Should().ContainSingle().Subject!;
        listedRun["rowsExported"]!.GetValue<long>().Should().Be(5_000);
        var file = listedRun["entries"]![0]!["files"]!.AsArray().Should().ContainSingle().Subject!["path"]!.GetValue<string>();
        file.Should().MatchRegex(@"^partner-folder/web-events/exportTime=\d{12}/web-events-.+\.json\.gz$");
        using (var reader = new StreamReader(new GZipStream(File.OpenRead(Path.Combine(_web.PartnerPath, file)), CompressionMode.Decompress)))
        {
            JsonNode.Parse(reader.ReadLine()!)!["seq"]!.GetValue<long>().Should().Be(1);
        }

        var (duplicated, copy, _) = await _admin.PostJsonAsync("dataset-exports/events-json/duplicate", new { name = "Events again" });
        duplicated.Should().Be(HttpStatusCode.Created);
        copy!["scheduleEnabled"]!.GetValue<bool>().Should().BeFalse();
        var current = (await _admin.GetJsonAsync("dataset-exports/events-json")).Response.ETag();
        (await _admin.SendAsync(HttpMethod.Delete, "dataset-exports/events-json", ifMatch: current)).Status.Should().Be(HttpStatusCode.NoContent);
        (await _admin.GetJsonAsync("dataset-exports/events-json")).Status.Should().Be(HttpStatusCode.NotFound);
        (await _admin.GetJsonAsync($"runs/{runId}")).Status.Should().Be(HttpStatusCode.OK, "the run history outlives the export");
    }

    [Fact]
    public async Task BadInput_IsAProblemNamingExportFieldAndValue_AndAViewerIsRefused()
    {
        var bad = new { id = "bad", source = "warehouse", datasetId = "web-events", destination = "partner-folder", mode = "FirstFullThenIncremental", folderTemplate = "%DATASET_ID%" };
        var (status, body, response) = await _admin.PostJsonAsync("dataset-exports", bad);
        status.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var text = body!["detail"]!.GetValue<string>();
        text.Should().Contain("Dataset export 'bad'").And.Contain("Source 'warehouse'").And.Contain("WatermarkColumn").And.Contain("FolderTemplate");
        (await _admin.GetJsonAsync("dataset-exports/bad")).Status.Should().Be(HttpStatusCode.NotFound);

        var viewer = _web.ClientAs("vic", "Viewer");
        (await viewer.PostJsonAsync("dataset-exports", Export("viewer-made"))).Status.Should().Be(HttpStatusCode.Forbidden);
        (await viewer.PostJsonAsync("dataset-exports/web-events/run")).Status.Should().Be(HttpStatusCode.Forbidden);
        var (_, declared, _) = await viewer.GetJsonAsync("dataset-exports");
        declared!["items"]!.AsArray().Select(i => i!["definition"]!["id"]!.GetValue<string>()).Should().Contain("web-events");
        declared["items"]!.AsArray().Single(i => i!["definition"]!["id"]!.GetValue<string>() == "web-events")!["isReadOnly"]!.GetValue<bool>().Should().BeTrue();
    }

    private static object Export(string id, string? template = null) => new
    {
        id,
        name = $"Dataset export {id}",
        source = "demo-events",
        datasetId = "web-events",
        destination = "partner-folder",
        output = new { format = new { name = "json", compression = "Gzip" }, writeManifest = true },
        mode = "FirstFullThenIncremental",
        watermarkColumn = "seq",
        folderTemplate = template,
        schedule = new { frequency = "Every9Hours", startDate = "2026-01-01", startTime = "00:00" },
    };
}
