using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Exports.Sdk.Dashboard.Tests;

/// <summary>The Exports page's other actions: Run all (and what it skipped), Create duplicate, Delete with its confirmation, and seed 000's second refusal.</summary>
public sealed class ExportsPageActionsTests(Chromium chromium) : IClassFixture<Chromium>, IAsyncLifetime
{
    private readonly Dashboard _dashboard = new(chromium);

    public Task InitializeAsync() => _dashboard.InitializeAsync();

    public Task DisposeAsync() => _dashboard.DisposeAsync();

    [Fact]
    public async Task RunAll_RunsOnlyExportsWithAnActiveSchedule_AndSaysWhichWereSkipped()
    {
        var page = await _dashboard.SignInAsync("ana", "Administrator");
        await page.GetByRole(AriaRole.Button, new() { Name = "Run all" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Run all" }).ClickAsync();
        var message = page.GetByRole(AriaRole.Status);
        await Expect(message).ToContainTextAsync("Started 2 runs.");
        await Expect(message).ToContainTextAsync("Skipped: churn-risk");
        using var admin = _dashboard.ClientAs("ana", "Administrator");
        (await RunCountAsync(admin, "churn-risk")).Should().Be(0);
        (await RunCountAsync(admin, "weekly-newsletter")).Should().Be(1);
    }

    [Fact]
    public async Task CreateDuplicate_ThenDelete_AfterConfirming()
    {
        var page = await _dashboard.SignInAsync("ana", "Administrator");
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "Select Weekly newsletter" }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Create duplicate" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Created 'Weekly newsletter (copy)', a duplicate with its schedule off.");
        var copy = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Weekly newsletter (copy)" });
        await Expect(copy).ToContainTextAsync("Off");

        await copy.GetByRole(AriaRole.Checkbox).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        var confirm = page.GetByRole(AriaRole.Dialog, new() { Name = "Delete export" });
        await Expect(confirm).ToContainTextAsync("Delete the export 'Weekly newsletter (copy)'? Its run history stays.");
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(copy).ToHaveCountAsync(1);

        await page.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog, new() { Name = "Delete export" }).GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Deleted 'Weekly newsletter (copy)'.");
        await Expect(copy).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Weekly newsletter" })).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task ExportFileNow_ForAnAudienceOutsideItsSchedule_ShowsSeed000sRefusal()
    {
        using var admin = _dashboard.ClientAs("ana", "Administrator");
        await _dashboard.CreateExportAsync("ended", edit: json => json["audiences"]![0]!["schedule"]!["endDate"] = "2026-01-02");

        var page = await _dashboard.SignInAsync("ana", "Administrator");
        await page.GotoAsync("/exports#/exports/ended/runs");
        await Dashboard.ExportFileNowAsync(page);
        var alert = page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Alert);
        await Expect(alert).ToContainTextAsync("demo-audience");
        await Expect(alert).ToContainTextAsync("schedule");
        (await RunCountAsync(admin, "ended")).Should().Be(0);
    }

    private static async Task<int> RunCountAsync(HttpClient client, string id) =>
        JsonNode.Parse(await client.GetStringAsync($"/exports/api/dataflows/{id}/runs"))!["totalCount"]!.GetValue<int>();
}
