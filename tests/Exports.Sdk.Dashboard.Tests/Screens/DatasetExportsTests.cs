using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Exports.Sdk.Dashboard.Tests;

/// <summary>Issue 20: dataset exports on their own screen, run now, and their runs beside the dataflows' runs.</summary>
public sealed class DatasetExportsTests(Chromium chromium) : IClassFixture<Chromium>, IAsyncLifetime
{
    private readonly Dashboard _dashboard = new(chromium);

    public Task InitializeAsync() => _dashboard.InitializeAsync();

    public Task DisposeAsync() => _dashboard.DisposeAsync();

    [Fact]
    public async Task DatasetExport_RunNow_IsFollowedToItsRun_AndListedInItsRunsTab()
    {
        var page = await _dashboard.SignInAsync("ana", "Administrator");
        await page.GetByRole(AriaRole.Link, new() { Name = "Dataset exports" }).ClickAsync();
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Web events to the partner folder" });
        await Expect(row).ToContainTextAsync("web-events");
        await Expect(row).ToContainTextAsync("Incremental by seq");
        await Expect(row).ToContainTextAsync("Every 3 hours from 2026-01-01 at 00:00 UTC");
        await Expect(row).ToContainTextAsync("Never run");
        await Expect(row).ToContainTextAsync("Declared in configuration");

        await row.GetByRole(AriaRole.Button, new() { Name = "Run Web events to the partner folder now" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Run ") })).ToBeVisibleAsync();
        await Expect(page.Locator("dl.facts")).ToContainTextAsync("Succeeded", new() { Timeout = 20_000 });
        await Expect(page.GetByRole(AriaRole.Heading, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Dataset web-events") })).ToBeVisibleAsync();
        await Expect(page.Locator("td.mono").First).ToContainTextAsync(".json.gz");
        Directory.EnumerateFiles(_dashboard.Web.PartnerPath, "*.json.gz", SearchOption.AllDirectories).Should().ContainSingle()
            .Which.Should().Contain(Path.Combine("web-events", "exportTime="));

        await page.GetByRole(AriaRole.Link, new() { Name = "← Dataset export runs" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Dataset export runs" })).ToBeVisibleAsync();
        var run = page.Locator("tr[data-run]");
        await Expect(run).ToHaveCountAsync(1);
        await Expect(run).ToContainTextAsync("Succeeded");
        await Expect(run).ToContainTextAsync("5,000");
        await Dashboard.ScreenshotAsync(page, "dataset-export-runs");

        await page.GetByRole(AriaRole.Link, new() { Name = "← Dataset exports" }).ClickAsync();
        await Expect(row).ToContainTextAsync("Succeeded");
        await Dashboard.ScreenshotAsync(page, "dataset-exports");
    }

    [Fact]
    public async Task Viewer_SeesDatasetExportsAndTheirRuns_WithoutRunNow()
    {
        var page = await _dashboard.SignInAsync("vic", "Viewer");
        await page.GotoAsync("/exports#/datasets");
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "web-events" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("Run .* now") })).ToHaveCountAsync(0);
        await page.GotoAsync("/exports#/datasets/web-events/runs");
        await Expect(page.GetByText("No runs yet.")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Run now" })).ToHaveCountAsync(0);
    }
}
