using System.Net;

namespace Exports.Sdk.AspNetCore.Tests;

public sealed class AccessTests : IAsyncLifetime
{
    private readonly ExportsWebFactory _web = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _web.DisposeAsync();

    [Theory]
    [InlineData("GET", "dataflows")]
    [InlineData("GET", "runs/any")]
    [InlineData("POST", "dataflows/demo/export-now")]
    [InlineData("GET", "destination-types")]
    public async Task Anonymous_Is401WithProblemDetails(string method, string path)
    {
        var (status, body, response) = await _web.CreateClient().SendAsync(new HttpMethod(method), path, method == "POST" ? new { audienceIds = new[] { "demo-audience" } } : null);
        status.Should().Be(HttpStatusCode.Unauthorized);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        body!["detail"]!.GetValue<string>().Should().Contain("signed-in user");
        _web.OutputFiles().Should().BeEmpty();
    }

    [Fact]
    public async Task Viewer_CannotCreateOrRun_AndNothingChanges()
    {
        var viewer = _web.ClientAs("vic", "Viewer");
        var (status, body, _) = await viewer.PostJsonAsync("dataflows", Api.Dataflow("by-viewer"));
        status.Should().Be(HttpStatusCode.Forbidden);
        body!["detail"]!.GetValue<string>().Should().Contain("vic").And.Contain("by-viewer");
        body["permission"]!.GetValue<string>().Should().NotBeNullOrEmpty();

        var run = await viewer.PostJsonAsync("dataflows/demo/export-now", new { audienceIds = new[] { "demo-audience" } });
        run.Status.Should().Be(HttpStatusCode.Forbidden);
        run.Body!["permission"]!.GetValue<string>().Should().Be("ActivateDestinations");

        var admin = _web.Admin();
        (await admin.GetJsonAsync("dataflows/by-viewer")).Status.Should().Be(HttpStatusCode.NotFound);
        (await admin.GetJsonAsync("dataflows/demo/runs")).Body!["totalCount"]!.GetValue<int>().Should().Be(0);
    }

    [Fact]
    public async Task Viewer_SeesDataflowsAsViewOnly()
    {
        var (status, body, _) = await _web.ClientAs("vic", "Viewer").GetJsonAsync("dataflows");
        status.Should().Be(HttpStatusCode.OK);
        body!["items"]!.AsArray().Should().HaveCount(3).And.OnlyContain(i => i!["yourPermission"]!.GetValue<string>() == "View" && i["permissions"]!.GetValue<string>() == "View");
    }

    [Fact]
    public async Task Contributor_SeesOnlyDataflowsOfDestinationsSharedWithThem()
    {
        var (status, body, _) = await _web.ClientAs("cora", "Contributor").GetJsonAsync("dataflows");
        status.Should().Be(HttpStatusCode.OK);
        body!["totalCount"]!.GetValue<int>().Should().Be(0, "demo-folder is not shared with cora");
    }
}
