using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Exports.Sdk.AspNetCore.Tests;

/// <summary><c>GET me</c> and the file-name preview: what a screen asks before it shows a button or a name.</summary>
public sealed class CallerAndPreviewEndpointTests : IAsyncLifetime
{
    private readonly ExportsWebFactory _web = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _web.DisposeAsync();

    [Theory]
    [InlineData("Administrator", "ViewDestinations,ManageDestinations,ActivateDestinations,ViewProfiles,ViewSegments,ViewIdentityGraph,ManageDatasetExports")]
    [InlineData("Contributor", "ViewDestinations,ActivateDestinations,ViewProfiles,ViewSegments,ManageDatasetExports")]
    [InlineData("Viewer", "ViewDestinations,ViewSegments")]
    public async Task Me_ListsThePermissionsTheCallerHoldsInGeneral(string role, string permissions)
    {
        var (status, body, _) = await _web.ClientAs("kim", role).GetJsonAsync("me");
        status.Should().Be(HttpStatusCode.OK);
        body!["name"]!.GetValue<string>().Should().Be("kim");
        string.Join(',', body["permissions"]!.AsArray().Select(p => p!.GetValue<string>())).Should().Be(permissions);
        body["isReadOnly"]!.GetValue<bool>().Should().BeFalse();
    }

    [Fact]
    public async Task Destinations_SayWhatAContributorMayDoWithEach()
    {
        var (_, body, _) = await _web.ClientAs("cleo", "Contributor").GetJsonAsync("destinations");
        var byName = body!.AsArray().ToDictionary(d => d!["name"]!.GetValue<string>(), d => d!["canActivate"]!.GetValue<bool>());
        byName.Should().Equal(new Dictionary<string, bool> { ["demo-folder"] = false, ["partner-folder"] = true }, "demo-folder is shared with cleo to view, partner-folder to edit");
    }

    [Fact]
    public async Task Preview_RendersTheNameARunWouldWrite_WithTheDestinationsExtension()
    {
        var (status, body, _) = await _web.Admin().PostJsonAsync("file-names/preview", new
        {
            destination = "demo-folder",
            template = "%DESTINATION_NAME%_%SEGMENT_ID%_%DATETIME(YYYYMMdd)%",
            audienceId = "vip",
        });
        status.Should().Be(HttpStatusCode.OK);
        var today = DateTime.UtcNow.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
        body!["fileName"]!.GetValue<string>().Should().Be($"demo-folder_vip_{today}.csv.gz");
        body["isStatic"]!.GetValue<bool>().Should().BeFalse();

        var (_, fixedName, _) = await _web.Admin().PostJsonAsync("file-names/preview", new { destination = "partner-folder", template = "%DESTINATION_NAME%_%SEGMENT_ID%_latest", audienceId = "vip" });
        fixedName!["fileName"]!.GetValue<string>().Should().Be("partner-folder_vip_latest.csv");
        fixedName["isStatic"]!.GetValue<bool>().Should().BeTrue();
    }

    [Fact]
    public async Task Preview_OfABadTemplate_Is400NamingTheFieldAndThePlaceholder()
    {
        var (status, body, _) = await _web.Admin().PostJsonAsync("file-names/preview", new { destination = "demo-folder", template = "%DESTINATION_NAME%_%SEGMENT_ID%_%NOPE%" });
        status.Should().Be(HttpStatusCode.BadRequest);
        body!["errors"]!.AsArray().Select(e => e!.GetValue<string>()).Should().ContainSingle(e => e.StartsWith("FileNameTemplate: ", StringComparison.Ordinal) && e.Contains("NOPE"));

        var (unknown, problem, _) = await _web.Admin().PostJsonAsync("file-names/preview", new { destination = "nowhere", template = "%DESTINATION_NAME%_%SEGMENT_ID%" });
        unknown.Should().Be(HttpStatusCode.BadRequest);
        problem!["detail"]!.GetValue<string>().Should().Contain("Destination: 'nowhere'");

        // A destination the caller may not see answers the same, so its name cannot be probed.
        var (hidden, hiddenProblem, _) = await _web.ClientAs("cora", "Contributor").PostJsonAsync("file-names/preview", new { destination = "demo-folder", template = "%DESTINATION_NAME%_%SEGMENT_ID%" });
        hidden.Should().Be(HttpStatusCode.BadRequest);
        hiddenProblem!["detail"]!.GetValue<string>().Should().Be("Destination: 'demo-folder' is not a destination you may use.");
    }

    [Fact]
    public async Task Preview_IsAllowedInReadOnlyMode_BecauseItChangesNothing()
    {
        await using var web = new ExportsWebFactory().WithWebHostBuilder(b => b.ConfigureServices(s =>
            s.Configure<ExportsHttpApiOptions>(o => o.IsReadOnly = true)));
        var client = web.CreateClient();
        client.DefaultRequestHeaders.Add("X-Demo-User", "ada");
        client.DefaultRequestHeaders.Add("X-Demo-Role", "Administrator");
        (await client.PostJsonAsync("file-names/preview", new { destination = "demo-folder", template = "%DESTINATION_NAME%_%SEGMENT_ID%" })).Status.Should().Be(HttpStatusCode.OK);
        (await client.PostJsonAsync("dataflows/demo/run")).Status.Should().Be(HttpStatusCode.Forbidden);
        (await client.GetJsonAsync("me")).Body!["isReadOnly"]!.GetValue<bool>().Should().BeTrue();
    }
}
