using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Exports.Sdk.AspNetCore.Tests;

public sealed class DataflowEndpointTests : IAsyncLifetime
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
    public async Task List_SearchesAndPages_WithTheCallersPermissionAndLastRun()
    {
        var (status, body, _) = await _admin.GetJsonAsync("dataflows");
        status.Should().Be(HttpStatusCode.OK);
        body!["totalCount"]!.GetValue<int>().Should().Be(3);
        var items = body["items"]!.AsArray();
        items.Select(i => i!["dataflow"]!["id"]!.GetValue<string>()).Should().Equal("churn-risk", "demo", "weekly-newsletter");
        var configured = items.Single(i => i!["dataflow"]!["id"]!.GetValue<string>() == "demo")!;
        configured["isReadOnly"]!.GetValue<bool>().Should().BeTrue();
        configured["yourPermission"]!.GetValue<string>().Should().Be("View", "a dataflow declared in configuration cannot be edited here");
        configured["permissions"]!.GetValue<string>().Should().Be("View, Run");
        items.Single(i => i!["dataflow"]!["id"]!.GetValue<string>() == "churn-risk")!["yourPermission"]!.GetValue<string>().Should().Be("Edit");

        var (_, searched, _) = await _admin.GetJsonAsync("dataflows?search=NEWS");
        searched!["items"]!.AsArray().Select(i => i!["dataflow"]!["id"]!.GetValue<string>()).Should().Equal("weekly-newsletter");

        var (_, page, _) = await _admin.GetJsonAsync("dataflows?skip=1&take=1");
        page!["totalCount"]!.GetValue<int>().Should().Be(3);
        page["items"]!.AsArray().Select(i => i!["dataflow"]!["id"]!.GetValue<string>()).Should().Equal("demo");

        var run = await _admin.PostJsonAsync("dataflows/churn-risk/run");
        await _admin.WaitForRunAsync(run.Body!["runId"]!.GetValue<string>(), Api.HasEnded);
        var (_, after, _) = await _admin.GetJsonAsync("dataflows?search=churn");
        var lastRun = after!["items"]![0]!["lastRun"]!;
        lastRun["runId"]!.GetValue<string>().Should().Be(run.Body!["runId"]!.GetValue<string>());
        lastRun["status"]!.GetValue<string>().Should().Be("Succeeded");
    }

    [Theory]
    [InlineData("dataflows?take=0", "'take' is 0")]
    [InlineData("dataflows?take=501", "'take' is 501")]
    [InlineData("dataflows?skip=-1", "'skip' is -1")]
    public async Task List_WithABadPage_IsABadRequestNamingTheParameter(string path, string expected)
    {
        var (status, body, response) = await _admin.GetJsonAsync(path);
        status.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        body!["detail"]!.GetValue<string>().Should().Contain(expected);
    }

    [Theory]
    [InlineData("dataflows?take=99999999999", "Query parameter 'take' is '99999999999'; it must be a whole number")]
    [InlineData("dataflows?skip=abc&take=2", "Query parameter 'skip' is 'abc'; it must be a whole number")]
    [InlineData("dataflows/churn-risk/runs?status=Done", "Query parameter 'status' is 'Done'; it must be one of Queued, Running, Succeeded")]
    [InlineData("dataset-exports/demo-events/runs?status=Succeeded&take=x", "Query parameter 'take' is 'x'")]
    public async Task A_QueryValueThatCannotBeRead_IsAProblemNamingIt_OutsideDevelopment(string path, string expected)
    {
        // Outside Development ASP.NET Core answers an unparsable query value with an empty 400 before the handler.
        await using var production = new ExportsWebFactory(configureServices: s => s.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = false));
        var (status, body, response) = await production.Admin().GetJsonAsync(path);
        status.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        body!["detail"]!.GetValue<string>().Should().StartWith(expected);
        body["errors"]![0]!.GetValue<string>().Should().StartWith(expected);
    }

    [Fact]
    public async Task Create_Answers201_WithLocationAndETag_ThenGetReturnsIt()
    {
        var (status, body, response) = await _admin.PostJsonAsync("dataflows", Api.Dataflow("nightly"));
        status.Should().Be(HttpStatusCode.Created);
        response.Headers.Location!.OriginalString.Should().Be("/exports/api/dataflows/nightly");
        var etag = response.ETag();
        body!["id"]!.GetValue<string>().Should().Be("nightly");
        body["audiences"]![0]!["mode"]!.GetValue<string>().Should().Be("DailyFullExport", "enums are written as strings");

        var (getStatus, got, getResponse) = await _admin.GetJsonAsync("dataflows/nightly");
        getStatus.Should().Be(HttpStatusCode.OK);
        getResponse.ETag().Should().Be(etag);
        got!["attributes"]!.AsArray().Select(a => a!.GetValue<string>()).Should().Equal("profileId", "person.email");
    }

    [Fact]
    public async Task Create_WithAnIdInUse_IsAConflict()
    {
        var (status, body, _) = await _admin.PostJsonAsync("dataflows", Api.Dataflow("churn-risk"));
        status.Should().Be(HttpStatusCode.Conflict);
        body!["detail"]!.GetValue<string>().Should().Contain("'churn-risk' already exists");
    }

    [Fact]
    public async Task Create_Invalid_IsABadRequestNamingEveryProblem_AndStoresNothing()
    {
        var dataflow = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(Api.Dataflow("broken"), System.Text.Json.JsonSerializerOptions.Web))!;
        dataflow["destination"] = "nowhere";
        dataflow["source"] = "no-such-source";
        // The dataflow's own output used to be saved unchecked: a 0-byte part limit wrote a file per row.
        dataflow["output"] = JsonNode.Parse("""{ "maxBytesPerFile": 0, "maxRowsPerFile": -5, "format": { "name": "xml" } }""");
        var (status, body, _) = await _admin.PostJsonAsync("dataflows", dataflow.ToJsonString());
        status.Should().Be(HttpStatusCode.BadRequest);
        var errors = body!["errors"]!.AsArray().Select(e => e!.GetValue<string>()).ToList();
        errors.Should().Contain(e => e.Contains("nowhere")).And.Contain(e => e.Contains("no-such-source"))
            .And.Contain("Dataflow 'broken': Output.MaxBytesPerFile must be at least 4096, not 0.")
            .And.Contain(e => e.StartsWith("Dataflow 'broken': Output.MaxRowsPerFile", StringComparison.Ordinal) && e.Contains("-5"))
            .And.Contain(e => e.StartsWith("Dataflow 'broken': Output.Format.Name 'xml' is not a registered format", StringComparison.Ordinal));
        (await _admin.GetJsonAsync("dataflows/broken")).Status.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Create_WithMalformedJson_NamesWhereTheBodyIsWrong()
    {
        var (status, body, _) = await _admin.PostJsonAsync("dataflows", """{ "id": "x", "scheduleEnabled": "sometimes" }""");
        status.Should().Be(HttpStatusCode.BadRequest);
        body!["detail"]!.GetValue<string>().Should().Contain("$.scheduleEnabled");
    }

    [Fact]
    public async Task Get_Unknown_Is404WithProblemDetails()
    {
        var (status, body, response) = await _admin.GetJsonAsync("dataflows/nope");
        status.Should().Be(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        body!["detail"]!.GetValue<string>().Should().Be("There is no dataflow 'nope'.");
    }

    [Fact]
    public async Task Put_NeedsIfMatch_RefusesAStaleETag_AndChangesWithACurrentOne()
    {
        var (_, current, read) = await _admin.GetJsonAsync("dataflows/churn-risk");
        var etag = read.ETag();
        current!["name"] = "Renamed";

        var missing = await _admin.SendAsync(HttpMethod.Put, "dataflows/churn-risk", current.ToJsonString());
        missing.Status.Should().Be((HttpStatusCode)428);
        missing.Body!["detail"]!.GetValue<string>().Should().Contain("If-Match");

        var stale = await _admin.SendAsync(HttpMethod.Put, "dataflows/churn-risk", current.ToJsonString(), ifMatch: "\"stale\"");
        stale.Status.Should().Be(HttpStatusCode.PreconditionFailed);
        stale.Body!["detail"]!.GetValue<string>().Should().Contain("changed by someone else");
        (await _admin.GetJsonAsync("dataflows/churn-risk")).Body!["name"]!.GetValue<string>().Should().Be("Churn risk (on demand)", "a refused change changes nothing");
        var weakStale = await _admin.SendAsync(HttpMethod.Put, "dataflows/churn-risk", current.ToJsonString(), ifMatch: "W/\"stale\"");
        weakStale.Status.Should().Be(HttpStatusCode.PreconditionFailed, "a weak tag is compared by its value (a compressing proxy weakens ETags)");

        var (status, updated, response) = await _admin.SendAsync(HttpMethod.Put, "dataflows/churn-risk", current.ToJsonString(), ifMatch: etag);
        status.Should().Be(HttpStatusCode.OK);
        updated!["name"]!.GetValue<string>().Should().Be("Renamed");
        response.ETag().Should().NotBe(etag);

        var again = await _admin.SendAsync(HttpMethod.Put, "dataflows/churn-risk", current.ToJsonString(), ifMatch: etag);
        again.Status.Should().Be(HttpStatusCode.PreconditionFailed, "the ETag it was read with is now stale");
    }

    [Fact]
    public async Task Put_OfAConfiguredOrUnknownDataflow_IsRefused()
    {
        var (_, current, read) = await _admin.GetJsonAsync("dataflows/demo");
        var configured = await _admin.SendAsync(HttpMethod.Put, "dataflows/demo", current!.ToJsonString(), ifMatch: read.ETag());
        configured.Status.Should().Be(HttpStatusCode.BadRequest);
        configured.Body!["detail"]!.GetValue<string>().Should().Contain("declared in configuration");

        current["id"] = "nope";
        var unknown = await _admin.SendAsync(HttpMethod.Put, "dataflows/nope", current.ToJsonString(), ifMatch: "\"x\"");
        unknown.Status.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Patch_AddsAnAudienceWithJsonPatch_AsSeed003Does()
    {
        var (_, _, read) = await _admin.GetJsonAsync("dataflows/churn-risk");
        const string patch = """
            [{ "op": "add", "path": "/audiences/-", "value": { "audienceId": "newsletter", "fileNameTemplate": "%DESTINATION_NAME%_%SEGMENT_ID%_%DATETIME(YYYYMMdd)%", "mode": "DailyFullExport" } }]
            """;

        // Refused by the API itself, with a ProblemDetails naming the type (routing's own 415 had an empty body).
        var wrongType = await _admin.SendAsync(HttpMethod.Patch, "dataflows/churn-risk", patch, ifMatch: read.ETag(), contentType: "text/plain");
        wrongType.Status.Should().Be(HttpStatusCode.UnsupportedMediaType);
        wrongType.Response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        wrongType.Body!["detail"]!.GetValue<string>().Should().Contain("it was 'text/plain");

        var missing = await _admin.SendAsync(HttpMethod.Patch, "dataflows/churn-risk", patch, contentType: "application/json-patch+json");
        missing.Status.Should().Be((HttpStatusCode)428);

        var stale = await _admin.SendAsync(HttpMethod.Patch, "dataflows/churn-risk", patch, ifMatch: "\"stale\"", contentType: "application/json-patch+json");
        stale.Status.Should().Be(HttpStatusCode.PreconditionFailed, stale.Body?.ToJsonString());

        var (status, body, response) = await _admin.SendAsync(HttpMethod.Patch, "dataflows/churn-risk", patch, ifMatch: read.ETag(), contentType: "application/json-patch+json");
        status.Should().Be(HttpStatusCode.OK);
        body!["audiences"]!.AsArray().Select(a => a!["audienceId"]!.GetValue<string>()).Should().Equal("churn-risk", "newsletter");
        response.ETag().Should().NotBe(read.ETag());
    }

    [Fact]
    public async Task Patch_ThatLeavesAnInvalidOutput_IsRefused_AndChangesNothing()
    {
        var (_, before, read) = await _admin.GetJsonAsync("dataflows/churn-risk");
        var (status, body, _) = await _admin.SendAsync(HttpMethod.Patch, "dataflows/churn-risk",
            """[{ "op": "replace", "path": "/output", "value": { "maxRowsPerFile": -1 } }]""", ifMatch: read.ETag(), contentType: "application/json-patch+json");

        status.Should().Be(HttpStatusCode.BadRequest, body?.ToJsonString());
        body!["errors"]!.AsArray().Select(e => e!.GetValue<string>()).Should().Contain(e => e.StartsWith("Dataflow 'churn-risk': Output.MaxRowsPerFile", StringComparison.Ordinal));
        var (_, after, unchanged) = await _admin.GetJsonAsync("dataflows/churn-risk");
        unchanged.ETag().Should().Be(read.ETag());
        after!.ToJsonString().Should().Be(before!.ToJsonString());
    }

    [Fact]
    public async Task Patch_ThatCannotApply_NamesTheOperation()
    {
        var (_, _, read) = await _admin.GetJsonAsync("dataflows/churn-risk");
        var (status, body, _) = await _admin.SendAsync(HttpMethod.Patch, "dataflows/churn-risk",
            """[{ "op": "replace", "path": "/noSuchField", "value": 1 }]""", ifMatch: read.ETag(), contentType: "application/json-patch+json");
        status.Should().Be(HttpStatusCode.BadRequest);
        body!["detail"]!.GetValue<string>().Should().Contain("/noSuchField");
    }

    [Fact]
    public async Task Delete_NeedsIfMatch_RefusesStale_ThenDeletes()
    {
        var (_, _, read) = await _admin.GetJsonAsync("dataflows/weekly-newsletter");
        (await _admin.SendAsync(HttpMethod.Delete, "dataflows/weekly-newsletter")).Status.Should().Be((HttpStatusCode)428);
        (await _admin.SendAsync(HttpMethod.Delete, "dataflows/weekly-newsletter", ifMatch: "\"stale\"")).Status.Should().Be(HttpStatusCode.PreconditionFailed);
        (await _admin.GetJsonAsync("dataflows/weekly-newsletter")).Status.Should().Be(HttpStatusCode.OK);

        var deleted = await _admin.SendAsync(HttpMethod.Delete, "dataflows/weekly-newsletter", ifMatch: read.ETag());
        deleted.Status.Should().Be(HttpStatusCode.NoContent);
        (await _admin.GetJsonAsync("dataflows/weekly-newsletter")).Status.Should().Be(HttpStatusCode.NotFound);
        (await _admin.SendAsync(HttpMethod.Delete, "dataflows/weekly-newsletter", ifMatch: read.ETag())).Status.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Duplicate_CreatesACopyWithItsScheduleOff()
    {
        var (status, body, response) = await _admin.PostJsonAsync("dataflows/weekly-newsletter/duplicate");
        status.Should().Be(HttpStatusCode.Created);
        body!["name"]!.GetValue<string>().Should().Be("Weekly newsletter (copy)");
        body["scheduleEnabled"]!.GetValue<bool>().Should().BeFalse();
        body["id"]!.GetValue<string>().Should().NotBe("weekly-newsletter");
        response.Headers.Location!.OriginalString.Should().Be($"/exports/api/dataflows/{body["id"]!.GetValue<string>()}");

        var named = await _admin.PostJsonAsync("dataflows/weekly-newsletter/duplicate", new { name = "Second newsletter" });
        named.Body!["name"]!.GetValue<string>().Should().Be("Second newsletter");
        (await _admin.PostJsonAsync("dataflows/nope/duplicate")).Status.Should().Be(HttpStatusCode.NotFound);
    }
}
