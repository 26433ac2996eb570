using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Exports.Sdk.Dashboard.Tests;

/// <summary>What contributors and viewers see, and that the core's policy still refuses what a page would not offer.</summary>
public sealed class PermissionsTests(Chromium chromium) : IClassFixture<Chromium>, IAsyncLifetime
{
    private readonly Dashboard _dashboard = new(chromium);

    public async Task InitializeAsync()
    {
        await _dashboard.InitializeAsync();
        // An export to partner-folder, which is shared with cleo to edit (demo-folder only to view).
        await _dashboard.CreateExportAsync("partner-weekly", destination: "partner-folder", edit: json => json["name"] = "Partner weekly");
    }

    public Task DisposeAsync() => _dashboard.DisposeAsync();

    [Fact]
    public async Task Contributor_SeesViewOnly_OnExportsToDestinationsNotSharedWithThemForEdit()
    {
        var page = await _dashboard.SignInAsync("cleo", "Contributor");
        var partner = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Partner weekly" });
        var newsletter = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Weekly newsletter" });
        await Expect(partner.Locator("td").Last).ToHaveTextAsync("Edit");
        await Expect(newsletter.Locator("td").Last).ToHaveTextAsync("View only");
        await Dashboard.ScreenshotAsync(page, "exports-contributor");

        await newsletter.GetByRole(AriaRole.Checkbox).CheckAsync();
        var toolbar = page.GetByRole(AriaRole.Toolbar, new() { Name = "Selected exports" });
        await Expect(toolbar.GetByRole(AriaRole.Button, new() { Name = "View", Exact = true })).ToBeVisibleAsync();
        foreach (var name in new[] { "Edit", "Run", "Delete", "Schedule", "Export file now" })
        {
            await Expect(toolbar.GetByRole(AriaRole.Button, new() { Name = name, Exact = true })).ToHaveCountAsync(0);
        }

        await newsletter.GetByRole(AriaRole.Checkbox).UncheckAsync();
        await partner.GetByRole(AriaRole.Checkbox).CheckAsync();
        foreach (var name in new[] { "Edit", "Run", "Delete", "Schedule", "Export file now", "Create duplicate" })
        {
            await Expect(toolbar.GetByRole(AriaRole.Button, new() { Name = name, Exact = true })).ToBeVisibleAsync();
        }

        // A new export may only go to a destination shared for edit.
        await page.GetByRole(AriaRole.Button, new() { Name = "Add export" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Add export" })).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Destination").Locator("option")).ToHaveCountAsync(2);
        var options = await page.GetByLabel("Destination").Locator("option").AllInnerTextsAsync();
        options.Should().Equal("Choose a destination", "partner-folder (Local folder)");
        await Expect(page.GetByLabel("Identity columns")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Viewer_HasNoEditRunOrDelete_AndAForgedRunIsRefusedWithNothingStarted()
    {
        var page = await _dashboard.SignInAsync("vic", "Viewer");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Add export" })).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Run all" })).ToHaveCountAsync(0);
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Churn risk" });
        await row.GetByRole(AriaRole.Checkbox).CheckAsync();
        var toolbar = page.GetByRole(AriaRole.Toolbar, new() { Name = "Selected exports" });
        await Expect(toolbar.GetByRole(AriaRole.Button, new() { Name = "View", Exact = true })).ToBeVisibleAsync();
        foreach (var name in new[] { "Edit", "Run", "Delete", "Schedule", "Export file now", "Create duplicate" })
        {
            await Expect(toolbar.GetByRole(AriaRole.Button, new() { Name = name, Exact = true })).ToHaveCountAsync(0);
        }

        await Dashboard.ScreenshotAsync(page, "exports-viewer");

        // The same request the Run button would send, with the page's own anti-forgery token: the policy says no.
        var answer = JsonNode.Parse(await page.EvaluateAsync<string>("""
            async () => {
              const token = document.querySelector('meta[name="exports-antiforgery"]');
              const r = await fetch('/exports/_api/dataflows/churn-risk/run', { method: 'POST', headers: { [token.dataset.header]: token.content } });
              return JSON.stringify({ status: r.status, body: await r.json() });
            }
            """))!;
        answer["status"]!.GetValue<int>().Should().Be(403);
        answer["body"]!["permission"]!.GetValue<string>().Should().Be("ActivateDestinations");
        using var admin = _dashboard.ClientAs("ana", "Administrator");
        var runs = JsonNode.Parse(await admin.GetStringAsync("/exports/api/dataflows/churn-risk/runs"))!;
        runs["totalCount"]!.GetValue<int>().Should().Be(0, "nothing was started");
    }
}
