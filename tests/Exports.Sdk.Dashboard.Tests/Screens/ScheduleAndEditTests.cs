using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Exports.Sdk.Dashboard.Tests;

/// <summary>The Schedule pane for several exports (keep or replace), and an edit saved over someone else's change.</summary>
public sealed class ScheduleAndEditTests(Chromium chromium) : IClassFixture<Chromium>, IAsyncLifetime
{
    private readonly Dashboard _dashboard = new(chromium);

    public Task InitializeAsync() => _dashboard.InitializeAsync();

    public Task DisposeAsync() => _dashboard.DisposeAsync();

    [Fact]
    public async Task BulkScheduleEdit_KeepsIndividualSchedules_OrReplacesThemAll()
    {
        var page = await _dashboard.SignInAsync("ana", "Administrator");
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "Select Weekly newsletter" }).CheckAsync();
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "Select Churn risk (on demand)" }).CheckAsync();

        // Keep: only the switch changes; each keeps its own schedule.
        await page.GetByRole(AriaRole.Button, new() { Name = "Schedule", Exact = true }).ClickAsync();
        var pane = page.GetByRole(AriaRole.Dialog, new() { Name = "Schedule selected exports" });
        // One is on and one off: the switch is mixed, and untouched it changes neither (it used to switch both off).
        await Expect(pane.GetByRole(AriaRole.Switch, new() { Name = "Schedule run" })).ToHaveJSPropertyAsync("indeterminate", true);
        await pane.GetByRole(AriaRole.Button, new() { Name = "Save schedule" }).ClickAsync();
        await Expect(pane.Locator("p.alert")).ToContainTextAsync("Nothing to save");
        await pane.GetByRole(AriaRole.Switch, new() { Name = "Schedule run" }).CheckAsync();
        await Expect(pane.GetByLabel("Keep individual schedules")).ToBeCheckedAsync();
        await Expect(pane.GetByLabel("Start date")).ToBeDisabledAsync();
        await pane.GetByRole(AriaRole.Button, new() { Name = "Save schedule" }).ClickAsync();
        await Expect(pane).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Saved the schedule of 2 exports.");
        var weekly = await GetAsync("weekly-newsletter");
        weekly["scheduleEnabled"]!.GetValue<bool>().Should().BeTrue();
        weekly["audiences"]![0]!["schedule"]!["frequency"]!.GetValue<string>().Should().Be("Weekly");
        (await GetAsync("churn-risk"))["scheduleEnabled"]!.GetValue<bool>().Should().BeTrue();

        // Replace: one new schedule for every audience of both.
        await page.GetByRole(AriaRole.Button, new() { Name = "Schedule", Exact = true }).ClickAsync();
        pane = page.GetByRole(AriaRole.Dialog, new() { Name = "Schedule selected exports" });
        await pane.GetByLabel("Define new schedule for all selected exports").CheckAsync();
        await pane.GetByLabel("Frequency").SelectOptionAsync("Daily");
        await pane.GetByLabel("Start date").FillAsync("2026-02-01");
        await pane.GetByLabel("Start time (UTC)").FillAsync("03:30");
        await Dashboard.ScreenshotAsync(page, "schedule");
        await pane.GetByRole(AriaRole.Button, new() { Name = "Save schedule" }).ClickAsync();
        await Expect(pane).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Saved the schedule of 2 exports.");
        foreach (var id in new[] { "weekly-newsletter", "churn-risk" })
        {
            var schedule = (await GetAsync(id))["audiences"]![0]!["schedule"]!;
            (schedule["frequency"]!.GetValue<string>(), schedule["startDate"]!.GetValue<string>(), schedule["startTime"]!.GetValue<string>())
                .Should().Be(("Daily", "2026-02-01", "03:30"), id);
        }

        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "Daily from 2026-02-01 at 03:30 UTC" })).ToHaveCountAsync(2);
    }

    [Fact]
    public async Task SchedulePane_ForOneExport_SwitchesItOff_KeepingItsSchedule()
    {
        var page = await _dashboard.SignInAsync("ana", "Administrator");
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "Select Weekly newsletter" }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Schedule", Exact = true }).ClickAsync();
        var pane = page.GetByRole(AriaRole.Dialog, new() { Name = "Schedule" });
        await Expect(pane.GetByLabel("Frequency")).ToHaveValueAsync("Weekly");
        await pane.GetByRole(AriaRole.Switch, new() { Name = "Schedule run" }).UncheckAsync();
        await pane.GetByRole(AriaRole.Button, new() { Name = "Save schedule" }).ClickAsync();
        await Expect(pane).ToHaveCountAsync(0);

        var weekly = await GetAsync("weekly-newsletter");
        weekly["scheduleEnabled"]!.GetValue<bool>().Should().BeFalse();
        weekly["audiences"]![0]!["schedule"]!["frequency"]!.GetValue<string>().Should().Be("Weekly");
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Weekly newsletter" })).ToContainTextAsync("Off");
    }

    [Fact]
    public async Task BulkScheduleEdit_WhenOneWasChangedMeanwhile_ChangesNothingAndSaysWhy()
    {
        var page = await _dashboard.SignInAsync("ana", "Administrator");
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "Select Weekly newsletter" }).CheckAsync();
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "Select Churn risk (on demand)" }).CheckAsync();
        await ChangeNameAsync("churn-risk", "Renamed by bea");

        await page.GetByRole(AriaRole.Button, new() { Name = "Schedule", Exact = true }).ClickAsync();
        var pane = page.GetByRole(AriaRole.Dialog, new() { Name = "Schedule selected exports" });
        await pane.GetByRole(AriaRole.Switch, new() { Name = "Schedule run" }).CheckAsync();
        await pane.GetByRole(AriaRole.Button, new() { Name = "Save schedule" }).ClickAsync();
        await Expect(pane.GetByRole(AriaRole.Alert)).ToContainTextAsync("changed by someone else");
        (await GetAsync("churn-risk"))["scheduleEnabled"]!.GetValue<bool>().Should().BeFalse("all or nothing");
    }

    [Fact]
    public async Task StaleEdit_ShowsTheConflict_KeepsTheUsersInput_AndCanSaveOverIt()
    {
        var page = await _dashboard.SignInAsync("ana", "Administrator");
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "Select Weekly newsletter" }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Edit", Exact = true }).ClickAsync();
        var name = page.GetByLabel("Name", new() { Exact = true });
        await Expect(name).ToHaveValueAsync("Weekly newsletter");

        // bea also changes what the form does not show: saving over her change must not undo that.
        await ChangeAsync("weekly-newsletter", body =>
        {
            body["name"] = "Changed by bea";
            body["includeMembershipStatus"] = true;
        });
        await name.FillAsync("Changed by ana");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "Someone else changed this export" })).ToBeVisibleAsync();
        await Expect(name).ToHaveValueAsync("Changed by ana");
        (await GetAsync("weekly-newsletter"))["name"]!.GetValue<string>().Should().Be("Changed by bea", "nothing was saved over it");
        await Dashboard.ScreenshotAsync(page, "edit-conflict");

        await page.GetByRole(AriaRole.Button, new() { Name = "Save mine over theirs" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Saved the export 'Changed by ana'");
        var saved = await GetAsync("weekly-newsletter");
        saved["name"]!.GetValue<string>().Should().Be("Changed by ana");
        saved["includeMembershipStatus"]!.GetValue<bool>().Should().BeTrue("the form does not show it: bea's value stays");
    }

    [Fact]
    public async Task InvalidEdit_ShowsEachErrorBesideItsField()
    {
        var page = await _dashboard.SignInAsync("ana", "Administrator");
        await page.GotoAsync("/exports#/exports/weekly-newsletter");
        await page.GetByLabel("Start date").FillAsync("2026-03-01");
        await page.GetByLabel("End date").FillAsync("2026-02-01");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(page.GetByText("Enter a name for the export.")).ToBeVisibleAsync();

        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Weekly newsletter");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        var endDate = page.GetByLabel("End date");
        await Expect(endDate).ToHaveAttributeAsync("aria-invalid", "true");
        var errorId = await endDate.GetAttributeAsync("aria-describedby");
        await Expect(page.Locator($"#{errorId}")).ToContainTextAsync("Schedule.EndDate '2026-02-01' must be after Schedule.StartDate '2026-03-01'");

        // An end date without a start date: the schedule would have been dropped without a word; it is asked for instead.
        var startDate = page.GetByLabel("Start date");
        await startDate.FillAsync("");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(startDate).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator($"#{await startDate.GetAttributeAsync("aria-describedby")}")).ToContainTextAsync("Enter a start date, or clear the end date for no schedule.");
        (await GetAsync("weekly-newsletter"))["audiences"]![0]!["schedule"]!["frequency"]!.GetValue<string>().Should().Be("Weekly", "nothing was saved");
    }

    [Fact]
    public async Task SchedulePane_ShowsAScheduleErrorBesideItsField()
    {
        var page = await _dashboard.SignInAsync("ana", "Administrator");
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "Select Weekly newsletter" }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Schedule", Exact = true }).ClickAsync();
        var pane = page.GetByRole(AriaRole.Dialog, new() { Name = "Schedule" });
        await pane.GetByLabel("Start date").FillAsync("2026-03-01");
        await pane.GetByLabel("End date").FillAsync("2026-02-01");

        await pane.GetByRole(AriaRole.Button, new() { Name = "Save schedule" }).ClickAsync();

        var endDate = pane.GetByLabel("End date");
        await Expect(endDate).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator($"#{await endDate.GetAttributeAsync("aria-describedby")}")).ToContainTextAsync("must be after Schedule.StartDate '2026-03-01'");
        await Expect(pane.Locator("p.alert")).ToBeEmptyAsync();
    }

    [Fact]
    public async Task Frequency_OffersOnlyWhatTheExportModeAllows_AndFollowsAChangeOfMode()
    {
        var page = await _dashboard.SignInAsync("ana", "Administrator");
        await page.GotoAsync("/exports#/exports/weekly-newsletter");
        var frequency = page.GetByLabel("Frequency");
        await Expect(frequency.Locator("option")).ToHaveTextAsync(["Once", "Daily", "Weekly", "Monthly"]);
        await Expect(frequency).ToHaveValueAsync("Weekly");

        // Weekly is not a frequency of incremental exports (the form offered it, and the server refused the save).
        await page.GetByLabel("Export mode").SelectOptionAsync("FirstFullThenIncremental");
        await Expect(frequency.Locator("option")).ToHaveTextAsync(["Daily", "Every 3 hours", "Every 6 hours", "Every 8 hours", "Every 12 hours"]);
        await Expect(frequency).ToHaveValueAsync("Daily");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Saved the export 'Weekly newsletter'");
        var audience = (await GetAsync("weekly-newsletter"))["audiences"]![0]!;
        (audience["mode"]!.GetValue<string>(), audience["schedule"]!["frequency"]!.GetValue<string>()).Should().Be(("FirstFullThenIncremental", "Daily"));
    }

    [Fact]
    public async Task SchedulePane_ForExportsOfBothModes_OffersOnlyTheFrequenciesBothAllow()
    {
        await ChangeAsync("churn-risk", body => body["audiences"]![0]!["mode"] = "FirstFullThenIncremental");
        var page = await _dashboard.SignInAsync("ana", "Administrator");
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "Select Weekly newsletter" }).CheckAsync();
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "Select Churn risk (on demand)" }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Schedule", Exact = true }).ClickAsync();
        var pane = page.GetByRole(AriaRole.Dialog, new() { Name = "Schedule selected exports" });

        await Expect(pane.GetByLabel("Frequency").Locator("option")).ToHaveTextAsync(["Daily"]);

        // One export alone: its own mode's frequencies.
        await pane.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "Select Weekly newsletter" }).UncheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Schedule", Exact = true }).ClickAsync();
        pane = page.GetByRole(AriaRole.Dialog, new() { Name = "Schedule" });
        await Expect(pane.GetByLabel("Frequency").Locator("option")).ToHaveTextAsync(["Daily", "Every 3 hours", "Every 6 hours", "Every 8 hours", "Every 12 hours"]);
    }

    [Fact]
    public async Task Edit_KeepsAMandatoryIdentityColumn()
    {
        // The Mandatory boxes listed only attributes, so saving an export silently dropped a mandatory identity column.
        await ChangeAsync("weekly-newsletter", body =>
        {
            body["identityNamespaces"] = new JsonArray("email");
            body["mandatoryAttributes"]!.AsArray().Add("identityMap.email");
        });
        var page = await _dashboard.SignInAsync("ana", "Administrator");
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "Select Weekly newsletter" }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Edit", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Checkbox, new() { Name = "identityMap.email" })).ToBeCheckedAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Saved the export 'Weekly newsletter'");
        (await GetAsync("weekly-newsletter"))["mandatoryAttributes"]!.AsArray().Select(a => a!.GetValue<string>()).Should().Contain("identityMap.email");
    }

    private async Task<JsonNode> GetAsync(string id)
    {
        using var admin = _dashboard.ClientAs("ana", "Administrator");
        return JsonNode.Parse(await admin.GetStringAsync($"/exports/api/dataflows/{id}"))!;
    }

    private Task ChangeNameAsync(string id, string name) => ChangeAsync(id, body => body["name"] = name);

    private async Task ChangeAsync(string id, Action<JsonNode> change)
    {
        using var bea = _dashboard.ClientAs("bea", "Administrator");
        var read = await bea.GetAsync($"/exports/api/dataflows/{id}");
        var body = JsonNode.Parse(await read.Content.ReadAsStringAsync())!;
        change(body);
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/exports/api/dataflows/{id}") { Content = JsonContent.Create(body) };
        request.Headers.TryAddWithoutValidation("If-Match", read.Headers.ETag!.Tag);
        (await bea.SendAsync(request)).StatusCode.Should().Be(HttpStatusCode.OK);
    }
}
