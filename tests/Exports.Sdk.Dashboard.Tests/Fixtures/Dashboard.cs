using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Exports.Sdk.Dashboard.Tests;

/// <summary>
/// The web sample on a real Kestrel server with the dashboard at <c>/exports</c>, and a browser page signed in through
/// the sample's "sign in as" form. Screenshots go to docs/dashboard/ when EXPORTS_UPDATE_SCREENSHOTS=1.
/// </summary>
public sealed class Dashboard(Chromium chromium) : IAsyncLifetime
{
    public ExportsWebFactory Web { get; } = new(kestrel: true);

    public Task InitializeAsync()
    {
        _ = Web.BaseAddress;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Web.DisposeAsync();

    /// <summary>An API client on the same server, as another user (headers, no browser).</summary>
    public HttpClient ClientAs(string user, string role)
    {
        var client = new HttpClient { BaseAddress = Web.BaseAddress };
        client.DefaultRequestHeaders.Add("X-Demo-User", user);
        client.DefaultRequestHeaders.Add("X-Demo-Role", role);
        return client;
    }

    /// <summary>Creates an export through the host's API as an administrator (<see cref="Api.Dataflow"/>, then <paramref name="edit"/>).</summary>
    public async Task CreateExportAsync(string id, string source = "demo", string audience = "demo-audience", string destination = "demo-folder", Action<System.Text.Json.Nodes.JsonNode>? edit = null)
    {
        var json = System.Text.Json.JsonSerializer.SerializeToNode(Api.Dataflow(id, source, audience), System.Text.Json.JsonSerializerOptions.Web)!;
        json["destination"] = destination;
        edit?.Invoke(json);
        using var admin = ClientAs("ana", "Administrator");
        using var content = new StringContent(json.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        (await admin.PostAsync("/exports/api/dataflows", content)).StatusCode.Should().Be(System.Net.HttpStatusCode.Created);
    }

    /// <summary>On an export's page: "Export file now", keep the audiences offered, then "Yes".</summary>
    public static async Task ExportFileNowAsync(IPage page)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Export file now" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Export file now" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Yes" }).ClickAsync();
    }

    /// <summary>A new browser page signed in as the user, on the Exports page.</summary>
    public async Task<IPage> SignInAsync(string user, string role, int width = 1280, int height = 860)
    {
        var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Web.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = "en-US",
            TimezoneId = "UTC",
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        // Expect() has its own default (5 s), too short for a screen waiting on the server on a busy machine.
        Assertions.SetDefaultExpectTimeout(15_000);
        await page.GotoAsync("/sign-in");
        await page.GetByLabel("User").FillAsync(user);
        await page.GetByLabel("Role").SelectOptionAsync(role);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/exports"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Exports", Exact = true })).ToBeVisibleAsync();
        return page;
    }

    /// <summary>Saves a screenshot for docs/dashboard.md when asked to (EXPORTS_UPDATE_SCREENSHOTS=1).</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("EXPORTS_UPDATE_SCREENSHOTS") != "1")
        {
            return;
        }

        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Exports.Sdk.sln")))
        {
            root = root.Parent;
        }

        var folder = Path.Combine(root!.FullName, "docs", "dashboard");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = true });
    }
}
