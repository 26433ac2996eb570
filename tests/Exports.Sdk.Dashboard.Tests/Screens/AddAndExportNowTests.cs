using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Exports.Sdk.Dashboard.Tests;

/// <summary>Seed 000 and 001 end to end: an administrator adds an export, exports it now and reads the files back.</summary>
public sealed class AddAndExportNowTests(Chromium chromium) : IClassFixture<Chromium>, IAsyncLifetime
{
    private readonly Dashboard _dashboard = new(chromium);

    public Task InitializeAsync() => _dashboard.InitializeAsync();

    public Task DisposeAsync() => _dashboard.DisposeAsync();

    [Fact]
    public async Task Administrator_AddsAnExport_SeesThePreview_ExportsNow_AndTheFilesAreAtTheDestination()
    {
        var page = await _dashboard.SignInAsync("ana", "Administrator");
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Weekly newsletter" })).ToBeVisibleAsync();
        await Dashboard.ScreenshotAsync(page, "exports");

        await page.GetByRole(AriaRole.Button, new() { Name = "Add export" }).ClickAsync();
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Partner churn file");
        await page.GetByLabel("Source").SelectOptionAsync("demo");
        await page.GetByLabel("Destination").SelectOptionAsync("partner-folder");
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "profileId", Exact = true }).First.CheckAsync();
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "person.email", Exact = true }).First.CheckAsync();
        await page.GetByLabel("Audience", new() { Exact = true }).SelectOptionAsync("churn-risk");

        // A bad template is named beside the field; a good one is previewed as the run would name the file.
        var template = page.GetByLabel("File name template");
        await template.FillAsync("partner_%NOPE%");
        await Expect(page.Locator(".field-error").Filter(new() { HasText = "NOPE" })).ToBeVisibleAsync();
        await template.FillAsync("%DESTINATION_NAME%_%SEGMENT_ID%_%DATETIME(YYYYMMdd)%");
        var today = DateTime.UtcNow.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
        await Expect(page.Locator("output.preview")).ToContainTextAsync($"partner-folder_churn-risk_{today}.csv");
        await page.GetByLabel("Start date").FillAsync("2026-01-01");
        await Dashboard.ScreenshotAsync(page, "add-export");

        // The save is held on its way: the button is disabled meanwhile, so a second click sends nothing.
        var release = new TaskCompletionSource();
        var posts = 0;
        await page.RouteAsync("**/_api/dataflows", async route =>
        {
            if (route.Request.Method == "POST")
            {
                Interlocked.Increment(ref posts);
                await release.Task;
            }

            await route.ContinueAsync();
        });
        var save = page.GetByRole(AriaRole.Button, new() { Name = "Save" });
        await save.ClickAsync();
        await Expect(save).ToBeDisabledAsync();
        await save.ClickAsync(new() { Force = true });
        release.SetResult();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Saved the export 'Partner churn file'");
        posts.Should().Be(1);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Dataflow runs" })).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Export file now" }).ClickAsync();
        var pick = page.GetByRole(AriaRole.Dialog);
        await Expect(pick.GetByRole(AriaRole.Checkbox, new() { Name = "churn-risk" })).ToBeCheckedAsync();
        await pick.GetByRole(AriaRole.Button, new() { Name = "Export file now" }).ClickAsync();
        var confirm = page.GetByRole(AriaRole.Dialog);
        await Expect(confirm).ToContainTextAsync("Export files now for the audience churn-risk?");
        await Dashboard.ScreenshotAsync(page, "export-file-now");
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Yes" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("The export has started.");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "View run" })).ToBeVisibleAsync();

        // The Dataflow runs tab follows the run until it ends.
        var row = page.Locator("tr[data-run]").First;
        await Expect(row).ToContainTextAsync("Succeeded", new() { Timeout = 30_000 });
        await Expect(row).ToContainTextAsync("5,000");
        await Dashboard.ScreenshotAsync(page, "dataflow-runs");

        // The run's page lists its files; each is read back from the folder by an independent reader.
        await row.GetByRole(AriaRole.Link).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { NameRegex = new Regex("^Run ") })).ToBeVisibleAsync();
        var fileRows = page.Locator("section tbody tr");
        await Expect(fileRows).ToHaveCountAsync(1);
        var cells = await fileRows.First.Locator("td").AllInnerTextsAsync();
        await Dashboard.ScreenshotAsync(page, "run");

        var path = Path.Combine(_dashboard.Web.PartnerPath, cells[0]);
        Path.GetFileName(path).Should().Be($"partner-folder_churn-risk_{today}.csv");
        var lines = await File.ReadAllLinesAsync(path);
        lines[0].Should().Be("profileId,person.email");
        lines.Length.Should().Be(5_001);
        cells[1].Should().Be("5,000");
        cells[3].Should().Be(Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(path))));
        Directory.GetFiles(_dashboard.Web.PartnerPath).Should().Contain(f => Path.GetFileName(f).StartsWith("manifest-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ExportFileNow_WhileARunIsInProgress_ShowsTheRefusalAsTheApiSaysIt()
    {
        using var admin = _dashboard.ClientAs("ana", "Administrator");
        await _dashboard.CreateExportAsync("slow", TrickleAudienceSource.Name, TrickleAudienceSource.AudienceId);
        var started = await admin.PostAsync("/exports/api/dataflows/slow/export-now", JsonContent(new { audienceIds = new[] { TrickleAudienceSource.AudienceId } }));
        var runId = JsonNode.Parse(await started.Content.ReadAsStringAsync())!["runId"]!.GetValue<string>();

        var page = await _dashboard.SignInAsync("ana", "Administrator");
        await page.GotoAsync("/exports#/exports/slow/runs");
        await Dashboard.ExportFileNowAsync(page);
        await Expect(page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Alert)).ToContainTextAsync(runId);

        (await admin.PostAsync($"/exports/api/runs/{runId}/cancel", null)).StatusCode.Should().Be(HttpStatusCode.Accepted);
    }

    private static StringContent JsonContent(object body) =>
        new(System.Text.Json.JsonSerializer.Serialize(body, System.Text.Json.JsonSerializerOptions.Web), System.Text.Encoding.UTF8, "application/json");
}
