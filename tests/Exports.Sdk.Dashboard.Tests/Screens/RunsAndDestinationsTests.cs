using System.Net;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Exports.Sdk.Dashboard.Tests;

/// <summary>A running export followed live and stopped; the Destinations screen; keyboard use and a narrow window.</summary>
public sealed class RunsAndDestinationsTests(Chromium chromium) : IClassFixture<Chromium>, IAsyncLifetime
{
    private readonly Dashboard _dashboard = new(chromium);

    public Task InitializeAsync() => _dashboard.InitializeAsync();

    public Task DisposeAsync() => _dashboard.DisposeAsync();

    [Fact]
    public async Task RunningExport_ShowsLiveProgress_IsStopped_AndLeavesNothingBehind()
    {
        await _dashboard.CreateExportAsync("endless", TrickleAudienceSource.Name, TrickleAudienceSource.AudienceId, "partner-folder");

        var page = await _dashboard.SignInAsync("ana", "Administrator");
        await page.GotoAsync("/exports#/exports/endless/runs");
        await Dashboard.ExportFileNowAsync(page);

        var row = page.Locator("tr[data-run]").First;
        await Expect(row).ToContainTextAsync("Running");
        // Rows received climbs while the page polls.
        var first = await RowsReceivedAsync(row);
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (await RowsReceivedAsync(row) <= first && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        (await RowsReceivedAsync(row)).Should().BeGreaterThan(first, "the runs tab shows the progress of a running run");
        await Dashboard.ScreenshotAsync(page, "dataflow-runs-running");

        await row.GetByRole(AriaRole.Button, new() { Name = "Stop" }).ClickAsync();
        await Expect(row).ToContainTextAsync("Cancelled", new() { Timeout = 20_000 });
        await Expect(row.GetByRole(AriaRole.Button, new() { Name = "Stop" })).ToHaveCountAsync(0);
        Directory.EnumerateFileSystemEntries(_dashboard.Web.PartnerPath, "*", SearchOption.AllDirectories).Should().BeEmpty("a stopped run leaves no part, temp file or manifest");
    }

    [Fact]
    public async Task ARunThatCannotBeShown_SaysWhyWhereTheRunWouldBe()
    {
        // The same 404 answers a run of an export the caller may not see; the page was left blank.
        var page = await _dashboard.SignInAsync("ana", "Administrator");
        await page.GotoAsync("/exports#/runs/no-such-run");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Run no-such-run" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "There is no run 'no-such-run'." })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Back to exports" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Weekly newsletter" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Destinations_AreListedWithoutSecrets_AndTheConnectionIsTested()
    {
        var page = await _dashboard.SignInAsync("ana", "Administrator");
        await page.GetByRole(AriaRole.Link, new() { Name = "Destinations" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Destinations", Exact = true })).ToBeVisibleAsync();
        var content = await page.ContentAsync();
        content.Should().NotContain(_dashboard.Web.PartnerPath, "settings are never rendered");

        await page.GetByRole(AriaRole.Button, new() { Name = "Test connection of partner-folder" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "partner-folder" })).ToContainTextAsync("Connection works");
        await Dashboard.ScreenshotAsync(page, "destinations");
        Directory.EnumerateFileSystemEntries(_dashboard.Web.PartnerPath).Should().BeEmpty("the probe is removed");

        var viewer = await _dashboard.SignInAsync("vic", "Viewer");
        await viewer.GotoAsync("/exports#/destinations");
        await Expect(viewer.GetByRole(AriaRole.Row).Filter(new() { HasText = "partner-folder" })).ToBeVisibleAsync();
        await Expect(viewer.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("Test connection") })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Keyboard_ReachesAddExport_AndANarrowWindowStillShowsEveryColumn()
    {
        var page = await _dashboard.SignInAsync("ana", "Administrator", width: 420, height: 860);
        await page.GetByRole(AriaRole.Button, new() { Name = "Add export" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Add export" })).ToBeVisibleAsync();
        await page.GoBackAsync();

        // Tab from the search box past the scrollable list region to the first row's checkbox, select it with Space.
        await page.GetByLabel("Search exports").FocusAsync();
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Exports list" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.Locator("tbody input[type=checkbox]").First).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Space");
        await Expect(page.GetByRole(AriaRole.Toolbar, new() { Name = "Selected exports" })).ToContainTextAsync("1 selected");
        var column = page.GetByRole(AriaRole.Columnheader, new() { Name = "Your permissions" });
        await column.ScrollIntoViewIfNeededAsync();
        await Expect(column).ToBeInViewportAsync();
        await Dashboard.ScreenshotAsync(page, "exports-narrow");
    }

    private static async Task<long> RowsReceivedAsync(ILocator row) =>
        long.Parse((await row.Locator("td").Nth(3).InnerTextAsync()).Replace(",", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);
}
