using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Exports.Sdk.Dashboard;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Exports.Sdk.Dashboard.Tests;

/// <summary>
/// Who may open the dashboard (the host's authorization hook, default local requests only), read-only mode, and the
/// anti-forgery check on every change: through the sample host, as a browser's requests would arrive.
/// </summary>
public sealed class DashboardAccessTests : IAsyncLifetime
{
    private readonly ExportsWebFactory _web = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _web.DisposeAsync();

    [Fact]
    public async Task ByDefault_OnlyLocalRequestsMayOpenIt()
    {
        // The test server's requests carry no remote address: not local.
        using var client = Client(_web, "ana", "Administrator");
        var page = await client.GetAsync("/exports");
        page.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await client.GetAsync("/exports/_api/dataflows")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        using var anonymous = _web.CreateClient();
        (await anonymous.GetAsync("/exports")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task TheHostsAuthorizationHook_DecidesWhoMayOpenIt()
    {
        await using var web = With(o => o.Authorization = [new HeaderFilter()]);
        using var client = Client(web, "ana", "Administrator");
        (await client.GetAsync("/exports")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        client.DefaultRequestHeaders.Add("X-Dashboard", "yes");
        var page = await client.GetAsync("/exports");
        page.StatusCode.Should().Be(HttpStatusCode.OK);
        page.Headers.GetValues("Content-Security-Policy").Single().Should().Contain("script-src 'self'");
        (await page.Content.ReadAsStringAsync()).Should().Contain("<script type=\"module\" src=\"/exports/assets/app.js\">");
        var asset = await client.GetAsync("/exports/assets/screens/exports.js");
        asset.Content.Headers.ContentType!.MediaType.Should().Be("text/javascript");
        (await asset.Content.ReadAsStringAsync()).Should().Contain("Search exports");
        (await client.GetAsync("/exports/assets/nothing.js")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await client.GetAsync("/exports/assets/index.html")).StatusCode.Should().Be(HttpStatusCode.NotFound, "the page is served only with its token");
    }

    [Fact]
    public async Task Changes_WithoutThePagesAntiForgeryToken_AreRefused_AndNothingStarts()
    {
        await using var web = With(o => o.Authorization = []);
        using var client = Client(web, "ana", "Administrator");
        var forged = await client.PostAsync("/exports/_api/dataflows/churn-risk/run", null);
        forged.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await forged.Content.ReadAsStringAsync()).Should().Contain("anti-forgery");

        // As a page on another site would send it: the browser has the dashboard's cookie, but the page has no token.
        var html = await client.GetStringAsync("/exports");
        (await client.PostAsync("/exports/_api/dataflows/churn-risk/run", null)).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await client.DeleteAsync("/exports/_api/dataflows/churn-risk")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await client.PutAsync("/exports/_api/dataflows/churn-risk", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"))).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var runs = JsonNode.Parse(await client.GetStringAsync("/exports/_api/dataflows/churn-risk/runs"))!;
        runs["totalCount"]!.GetValue<int>().Should().Be(0);
        JsonNode.Parse(await client.GetStringAsync("/exports/_api/dataflows/churn-risk"))!["name"]!.GetValue<string>().Should().Be("Churn risk (on demand)");

        // With the page's token (and its cookie), the same request is accepted.
        var token = Regex.Match(html, "name=\"exports-antiforgery\" content=\"([^\"]+)\" data-header=\"([^\"]+)\"");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/exports/_api/dataflows/churn-risk/run");
        request.Headers.Add(token.Groups[2].Value, token.Groups[1].Value);
        var accepted = await client.SendAsync(request);
        accepted.StatusCode.Should().Be(HttpStatusCode.Accepted);
        accepted.Headers.Location!.OriginalString.Should().StartWith("/exports/_api/runs/");
    }

    [Fact]
    public async Task ReadOnlyMode_RefusesChanges_AndSaysSo()
    {
        await using var web = With(o => { o.Authorization = []; o.IsReadOnly = true; });
        using var client = Client(web, "ana", "Administrator");
        var me = JsonNode.Parse(await client.GetStringAsync("/exports/_api/me"))!;
        me["isReadOnly"]!.GetValue<bool>().Should().BeTrue();
        var html = await client.GetStringAsync("/exports");
        var token = Regex.Match(html, "name=\"exports-antiforgery\" content=\"([^\"]+)\" data-header=\"([^\"]+)\"");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/exports/_api/dataflows/churn-risk/run");
        request.Headers.Add(token.Groups[2].Value, token.Groups[1].Value);
        (await client.SendAsync(request)).StatusCode.Should().Be(HttpStatusCode.Forbidden);

        // The host's own API is not read-only: the dashboard's mode is its own.
        (await client.PostAsync("/exports/api/dataflows/churn-risk/run", null)).StatusCode.Should().Be(HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task AReadOnlyHttpApi_LeavesTheDashboardItsOwnMode()
    {
        // Both copies of the API used to read the host API's flag, so a read-only public API locked the dashboard too.
        await using var web = _web.WithWebHostBuilder(b => b.ConfigureServices(s => s
            .Configure<ExportsDashboardOptions>(o => o.Authorization = [])
            .Configure<Exports.Sdk.AspNetCore.ExportsHttpApiOptions>(o => o.IsReadOnly = true)));
        using var client = Client(web, "ana", "Administrator");
        var html = await client.GetStringAsync("/exports");
        var token = Regex.Match(html, "name=\"exports-antiforgery\" content=\"([^\"]+)\" data-header=\"([^\"]+)\"");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/exports/_api/dataflows/churn-risk/run");
        request.Headers.Add(token.Groups[2].Value, token.Groups[1].Value);

        JsonNode.Parse(await client.GetStringAsync("/exports/_api/me"))!["isReadOnly"]!.GetValue<bool>().Should().BeFalse();
        JsonNode.Parse(await client.GetStringAsync("/exports/api/me"))!["isReadOnly"]!.GetValue<bool>().Should().BeTrue();
        (await client.SendAsync(request)).StatusCode.Should().Be(HttpStatusCode.Accepted, "the dashboard is not read-only");
        (await client.PostAsync("/exports/api/dataflows/churn-risk/run", null)).StatusCode.Should().Be(HttpStatusCode.Forbidden, "the host's API is");
    }

    private WebApplicationFactory<Program> With(Action<ExportsDashboardOptions> configure) =>
        _web.WithWebHostBuilder(b => b.ConfigureServices(s => s.Configure(configure)));

    private static HttpClient Client(WebApplicationFactory<Program> web, string user, string role)
    {
        var client = web.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        client.DefaultRequestHeaders.Add("X-Demo-User", user);
        client.DefaultRequestHeaders.Add("X-Demo-Role", role);
        return client;
    }

    private sealed class HeaderFilter : IExportsDashboardAuthorizationFilter
    {
        public ValueTask<bool> AuthorizeAsync(HttpContext httpContext) => ValueTask.FromResult(httpContext.Request.Headers["X-Dashboard"] == "yes");
    }
}
