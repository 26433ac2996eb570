using System.Net;

namespace Exports.Sdk.AspNetCore.Tests;

/// <summary>
/// Requests a client gets wrong in shape (nulls, missing fields, empty headers, ids too long to store): each one is a
/// ProblemDetails naming what is wrong, with the status a client can act on, and nothing changes.
/// </summary>
public sealed class MalformedRequestTests : IAsyncLifetime
{
    private const string ProblemJson = "application/problem+json";
    private readonly ExportsWebFactory _web = new();
    private HttpClient _admin = null!;

    public Task InitializeAsync()
    {
        _admin = _web.Admin();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _web.DisposeAsync();

    [Theory]
    [InlineData("dataflows", """{"source":"demo","destination":"demo-folder","attributes":["profileId"],"audiences":null}""", "at '$.audiences'")]
    [InlineData("dataflows", """{"source":"demo","destination":"demo-folder","attributes":null}""", "at '$.attributes'")]
    [InlineData("dataflows", """{"id":"nulls","source":"demo","destination":"demo-folder","attributes":["profileId"],"audiences":[null]}""", "Dataflow 'nulls': Audiences[0] is null")]
    [InlineData("dataflows", """{"id":"nulls","source":"demo","destination":"demo-folder","attributes":["profileId",null]}""", "Dataflow 'nulls': Attributes[1] is null")]
    [InlineData("destinations", """{"name":"x1","type":"local","settings":null}""", "at '$.settings'")]
    [InlineData("destinations", """{"name":"x1","type":"local","settings":{"path":"/tmp/x1"},"output":null}""", "at '$.output'")]
    [InlineData("destinations", """{"name":"x1","type":"sftp","settings":{"password":"a","Password":"b"}}""", "setting 'password' is given more than once ('password', 'Password')")]
    [InlineData("destinations", """{"name":"x1","type":"local","settings":{"path":"x1"},"sharedWith":{"cleo":"View","CLEO":"Edit"}}""", "SharedWith names 'cleo' more than once ('cleo', 'CLEO')")]
    [InlineData("destinations", """{"name":"x1","type":"local","settings":{"path":"x1"},"output":{"format":{"settings":{"codec":"x","CODEC":"y"}}}}""", "Output.Format.Settings has 'codec' more than once ('codec', 'CODEC')")]
    [InlineData("destinations", """{"name":"x1","type":"local","settings":{"path":"x1"},"output":{"format":{"compression":"Gzip","compressionLevel":99}}}""", "Output.Format.CompressionLevel '99' is not one of Optimal, Fastest, NoCompression, SmallestSize")]
    [InlineData("dataset-exports", """{"id":"x2","source":"demo-events","datasetId":"web-events","destination":"demo-folder","output":{"format":null}}""", "at '$.output.format': null is not allowed; expected an object.")]
    [InlineData("dataset-exports", """{"id":"x2","source":"demo-events","datasetId":"web-events","destination":"demo-folder","output":{"format":{"csv":{"delimiter":"ab"}}}}""", "at '$.output.format.csv.delimiter': expected a single character.")]
    [InlineData("dataset-exports", """{"id":"x3","source":"demo-events","datasetId":"web-events","destination":"demo-folder","columns":["eventId",""]}""", "Dataset export 'x3': Columns[1] is empty; name a column of the dataset.")]
    [InlineData("destinations", """{"name":"x1","type":"local","settings":{"path":"x1"},"output":{"writeManifest":false,"writeLatest":true}}""", "Output.WriteLatest needs Output.WriteManifest")]
    [InlineData("dataset-exports", """{"id":"twice","source":"demo-events","datasetId":"web-events","destination":"demo-folder","output":{"format":{"settings":{"codec":"x","CODEC":"y"}}}}""", "Output.Format.Settings has 'codec' more than once")]
    [InlineData("dataflows/schedules", """{"dataflows":{"churn-risk":null},"enabled":true}""", "dataflow 'churn-risk' was read with")]
    [InlineData("dataflows/schedules", """{"dataflows":null,"enabled":true}""", "at '$.dataflows'")]
    public async Task ABodyWithANullOrATwiceNamedField_IsA400NamingIt(string path, string body, string expected)
    {
        var (status, problem, response) = await _admin.PostJsonAsync(path, body);

        status.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be(ProblemJson);
        problem!["detail"]!.GetValue<string>().Should().Contain(expected);
        (await _admin.GetJsonAsync("dataflows")).Body!["totalCount"]!.GetValue<int>().Should().Be(3, "nothing was created");
        (await _admin.GetJsonAsync("destinations/x1")).Status.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ACompressionLevel_IsWrittenAndReadByName()
    {
        var (status, body, _) = await _admin.PostJsonAsync("destinations", """{"name":"levels","type":"local","settings":{"path":"levels"},"output":{"format":{"compression":"Gzip","compressionLevel":"SmallestSize"}}}""");

        status.Should().Be(HttpStatusCode.Created, body?.ToJsonString());
        body!["output"]!["format"]!["compressionLevel"]!.GetValue<string>().Should().Be("SmallestSize");
        (await _admin.GetJsonAsync("destinations/levels")).Body!["output"]!["format"]!["compressionLevel"]!.GetValue<string>().Should().Be("SmallestSize");
    }

    [Theory]
    [InlineData("""[{"op":"remove","path":"/audiences"}]""", "at '$.audiences'")]
    [InlineData("""[{"op":"move","path":"/name"}]""", "Operation 'move' at '/name' has no 'from'")]
    [InlineData("""[{"op":"replace","path":null,"value":"x"}]""", "Operation 'replace' has no 'path'")]
    [InlineData("""[{"op":"add","path":"/audiences/-","value":null}]""", "Audiences[1] is null")]
    [InlineData("""[{"op":"bogus","path":"/name","value":"x"}]""", "Operation 'bogus' is not one of add, remove, replace, move, copy or test")]
    [InlineData("""[{"op":"1","path":"/name"}]""", "Operation '1' is not one of")]
    public async Task APatchThatLeavesNullsOrLacksAPath_IsA400_AndTheDataflowIsUnchanged(string patch, string expected)
    {
        var read = await _admin.GetJsonAsync("dataflows/churn-risk");

        var (status, problem, response) = await _admin.SendAsync(HttpMethod.Patch, "dataflows/churn-risk", patch, ifMatch: read.Response.ETag(), contentType: "application/json-patch+json");

        status.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be(ProblemJson);
        problem!["detail"]!.GetValue<string>().Should().Contain(expected);
        var after = await _admin.GetJsonAsync("dataflows/churn-risk");
        after.Response.ETag().Should().Be(read.Response.ETag());
        after.Body!["audiences"]!.AsArray().Should().HaveCount(1);
    }

    [Fact]
    public async Task AnEmptyIfMatch_IsA428_LikeAMissingOne()
    {
        var body = new { name = "demo-folder", type = "local", settings = new { path = _web.OutputPath } };

        var replace = await _admin.SendAsync(HttpMethod.Put, "destinations/demo-folder", body, ifMatch: "\"\"");
        var share = await _admin.SendAsync(HttpMethod.Put, "destinations/demo-folder/shares/cody", new { access = "View" }, ifMatch: "\"\"");
        var delete = await _admin.SendAsync(HttpMethod.Delete, "dataflows/churn-risk", ifMatch: "\"\"");

        replace.Status.Should().Be((HttpStatusCode)428);
        share.Status.Should().Be((HttpStatusCode)428);
        delete.Status.Should().Be((HttpStatusCode)428);
        replace.Body!["detail"]!.GetValue<string>().Should().Contain("needs the If-Match header");
    }

    [Fact]
    public async Task ASwitchOrShareWithoutItsField_IsA400_NotADefault()
    {
        var read = await _admin.GetJsonAsync("dataflows/weekly-newsletter");
        read.Body!["scheduleEnabled"]!.GetValue<bool>().Should().BeTrue();

        var noSwitch = await _admin.PostJsonAsync("dataflows/weekly-newsletter/schedule", "{}", ifMatch: read.Response.ETag());
        var typo = await _admin.PostJsonAsync("dataflows/weekly-newsletter/schedule", """{"enable":true}""", ifMatch: read.Response.ETag());

        noSwitch.Status.Should().Be(HttpStatusCode.BadRequest);
        noSwitch.Body!["detail"]!.GetValue<string>().Should().EndWith(": 'enabled' is required.").And.NotContain("Exports.Sdk", "a caller does not know the API's .NET types");
        typo.Status.Should().Be(HttpStatusCode.BadRequest);
        (await _admin.GetJsonAsync("dataflows/weekly-newsletter")).Body!["scheduleEnabled"]!.GetValue<bool>().Should().BeTrue("a body without 'enabled' switched nothing off");

        var created = await _admin.PostJsonAsync("destinations", new { name = "shared-drop", type = "local", settings = new { path = Path.Combine(_web.Root, "shared") } });
        created.Status.Should().Be(HttpStatusCode.Created);
        var noAccess = await _admin.SendAsync(HttpMethod.Put, "destinations/shared-drop/shares/cody", "{}", ifMatch: created.Response.ETag());
        var undefined = await _admin.SendAsync(HttpMethod.Put, "destinations/shared-drop/shares/cody", """{"access":5}""", ifMatch: created.Response.ETag());

        noAccess.Status.Should().Be(HttpStatusCode.BadRequest);
        noAccess.Body!["detail"]!.GetValue<string>().Should().EndWith(": 'access' is required.");
        undefined.Status.Should().Be(HttpStatusCode.BadRequest);
        undefined.Body!["detail"]!.GetValue<string>().Should().Contain("Access '5' is not one of View, Edit");
        (await _admin.GetJsonAsync("destinations/shared-drop")).Body!["sharedWith"]!.AsObject().Should().BeEmpty();
    }

    [Fact]
    public async Task AnIdTooLongToStore_IsNotFoundToRead_AndA400ToCreate()
    {
        var longId = new string('a', 300);

        (await _admin.GetJsonAsync($"dataflows/{longId}")).Status.Should().Be(HttpStatusCode.NotFound);
        (await _admin.GetJsonAsync($"dataset-exports/{longId}")).Status.Should().Be(HttpStatusCode.NotFound);
        (await _admin.GetJsonAsync($"destinations/{longId}")).Status.Should().Be(HttpStatusCode.NotFound);
        (await _admin.GetJsonAsync($"runs/{longId}")).Status.Should().Be(HttpStatusCode.NotFound);

        var (status, problem, _) = await _admin.PostJsonAsync("dataflows", Api.Dataflow(longId));
        status.Should().Be(HttpStatusCode.BadRequest);
        problem!["detail"]!.GetValue<string>().Should().Contain("Id is 300 bytes long in UTF-8; at most 80");
    }

    [Theory]
    [InlineData("dataflows", """{ "id": "x", "source": "demo", "destination": "demo-folder", "attributes": ["profileId"], "audiences": [{ "audienceId": "a", "mode": "Weird" }] }""",
        "at '$.audiences[0].mode': expected one of DailyFullExport, FirstFullThenIncremental.")]
    [InlineData("dataflows", """{ "id": "x", "scheduleEnabled": "sometimes" }""", "at '$.scheduleEnabled': expected true or false.")]
    [InlineData("dataflows/demo/export-now", """{ "audienceIds": "demo-audience" }""", "at '$.audienceIds': expected an array.")]
    [InlineData("dataflows/demo/export-now", """{ "audienceIds": ["demo-audience", null] }""", "AudienceIds[1] is null.")]
    public async Task AValueOfTheWrongKind_IsNamedWithWhatTheApiExpects_NotADotNetType(string path, string body, string expected)
    {
        var (status, problem, _) = await _admin.SendAsync(HttpMethod.Post, path, body);

        status.Should().Be(HttpStatusCode.BadRequest, problem?.ToJsonString());
        problem!["detail"]!.GetValue<string>().Should().Contain(expected).And.NotContain("System.").And.NotContain("Exports.Sdk.");
    }

    [Theory]
    [InlineData("dataflows")]
    [InlineData("dataset-exports")]
    [InlineData("dataflows/demo/export-now")]
    [InlineData("dataflows/schedules")]
    public async Task ABodyThatIsNotJson_IsA400ProblemNamingItsType_AndAnAnonymousOneA401(string path)
    {
        // Routing used to refuse these first, with an empty 415 (anonymous callers included).
        var (status, problem, response) = await _admin.SendAsync(HttpMethod.Post, path, "{}", contentType: "text/plain");
        var (anonymous, _, _) = await _web.CreateClient().SendAsync(HttpMethod.Post, path, "{}", contentType: "text/plain");

        status.Should().Be(HttpStatusCode.BadRequest, problem?.ToJsonString());
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        problem!["detail"]!.GetValue<string>().Should().Contain("must be JSON (Content-Type application/json); it was 'text/plain");
        anonymous.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task TheIdNew_IsReserved_ForTheDashboardsAddForm()
    {
        var (status, problem, _) = await _admin.PostJsonAsync("dataflows", Api.Dataflow("New"));

        status.Should().Be(HttpStatusCode.BadRequest, problem?.ToJsonString());
        problem!["detail"]!.GetValue<string>().Should().Contain("Id 'new' is reserved");
    }

    [Theory]
    [InlineData("c/d", "dataflows")]
    [InlineData("..", "dataflows")]
    [InlineData("nl\nforged log line", "dataflows")]
    [InlineData("   ", "dataflows")]
    [InlineData("dsx/y", "dataset-exports")]
    public async Task AnIdThatCannotBeAddressedOrLogged_IsA400ToCreate_AndNothingIsStored(string id, string collection)
    {
        // These were saved, and then no address reached them (or their log lines split in two).
        var body = collection == "dataflows" ? Api.Dataflow(id) : (object)new { id, source = "demo-events", datasetId = "web-events", destination = "partner-folder" };

        var before = (await _admin.GetJsonAsync(collection)).Body!["totalCount"]!.GetValue<int>();

        var (status, problem, _) = await _admin.PostJsonAsync(collection, body);

        status.Should().Be(HttpStatusCode.BadRequest, problem?.ToJsonString());
        problem!["errors"]!.AsArray().Select(e => e!.GetValue<string>()).Should().Contain(e => e.Contains("Id must not be '.' or '..', begin or end with a space, or hold '/'", StringComparison.Ordinal));
        (await _admin.GetJsonAsync(collection)).Body!["totalCount"]!.GetValue<int>().Should().Be(before, "nothing was stored");
    }
}
