using System.Net;

namespace Exports.Sdk.AspNetCore.Tests;

public sealed class CatalogEndpointTests : IAsyncLifetime
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
    public async Task DestinationTypes_DescribeEachTypesSettings()
    {
        var (status, body, _) = await _admin.GetJsonAsync("destination-types");
        status.Should().Be(HttpStatusCode.OK);
        var local = body!.AsArray().Single(t => t!["type"]!.GetValue<string>() == "local")!;
        var path = local["settings"]!.AsArray().Single(s => s!["name"]!.GetValue<string>() == "path")!;
        path["isRequired"]!.GetValue<bool>().Should().BeTrue();
        path["isSecret"]!.GetValue<bool>().Should().BeFalse();
    }

    [Fact]
    public async Task Destinations_AreListedWithoutSettings_AndTested()
    {
        var (status, body, _) = await _admin.GetJsonAsync("destinations");
        status.Should().Be(HttpStatusCode.OK);
        body!.AsArray().Select(d => d!["name"]!.GetValue<string>()).Should().Equal("demo-folder", "partner-folder");
        var demo = body!.AsArray().First()!;
        demo.ToJsonString().Should().NotContain(_web.OutputPath, "settings are not returned");
        demo["canActivate"]!.GetValue<bool>().Should().BeTrue();
        demo["canManage"]!.GetValue<bool>().Should().BeTrue();

        var (testStatus, test, _) = await _admin.PostJsonAsync("destinations/demo-folder/test");
        testStatus.Should().Be(HttpStatusCode.OK);
        test!["succeeded"]!.GetValue<bool>().Should().BeTrue();
        _web.OutputFiles().Should().BeEmpty("the probe is removed");

        (await _admin.PostJsonAsync("destinations/nowhere/test")).Status.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Sources_ListTheirAudiencesAndAttributes()
    {
        var (status, body, _) = await _admin.GetJsonAsync("sources");
        status.Should().Be(HttpStatusCode.OK);
        body!.AsArray().Select(s => s!["name"]!.GetValue<string>()).Should().Equal("demo", "trickle");

        var (_, audiences, _) = await _admin.GetJsonAsync("sources/demo/audiences?search=news");
        var newsletter = audiences!.AsArray().Single()!;
        newsletter["id"]!.GetValue<string>().Should().Be("newsletter");
        newsletter["size"]!.GetValue<long>().Should().Be(50_000);

        var (_, attributes, _) = await _admin.GetJsonAsync("sources/demo/attributes");
        var profileId = attributes!.AsArray().First()!;
        profileId["name"]!.GetValue<string>().Should().Be("profileId");
        profileId["type"]!.GetValue<string>().Should().Be("Guid");

        (await _admin.GetJsonAsync("sources/nope/audiences")).Status.Should().Be(HttpStatusCode.NotFound);
        (await _admin.GetJsonAsync("sources/nope/attributes")).Status.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Attributes_NeedViewProfiles_AViewerIsForbiddenWithThePermissionNamed()
    {
        var viewer = _web.ClientAs("vic", "Viewer");
        (await viewer.GetJsonAsync("sources/demo/audiences")).Status.Should().Be(HttpStatusCode.OK, "viewers may view segments");
        var (status, body, _) = await viewer.GetJsonAsync("sources/demo/attributes");
        status.Should().Be(HttpStatusCode.Forbidden);
        body!["permission"]!.GetValue<string>().Should().Be("ViewProfiles");
        body["detail"]!.GetValue<string>().Should().Contain("vic");
    }

    [Fact]
    public async Task Health_LiveAndReady_AreHealthy()
    {
        var client = _web.CreateClient();
        (await client.GetAsync("/health/live")).StatusCode.Should().Be(HttpStatusCode.OK);
        var ready = await client.GetAsync("/health/ready");
        ready.StatusCode.Should().Be(HttpStatusCode.OK);
        (await ready.Content.ReadAsStringAsync()).Should().Be("Healthy");
    }
}
