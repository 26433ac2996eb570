using System.Net.Http.Json;
using Exports.Sdk.Destinations.IntegrationTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Exports.Sdk.Dashboard.Tests;

/// <summary>
/// Issue 16, the Destinations screen: an administrator adds an SFTP destination (the error of a missing setting beside
/// its field, the connection tested before saving), never sees its password again, edits it (the password kept),
/// shares it with a contributor and removes it.
/// </summary>
public sealed class DestinationFormTests(Chromium chromium) : IClassFixture<Chromium>, IAsyncLifetime
{
    private readonly Dashboard _dashboard = new(chromium);

    public Task InitializeAsync() => _dashboard.InitializeAsync();

    public Task DisposeAsync() => _dashboard.DisposeAsync();

    [Fact]
    public async Task APrivateKey_IsEnteredOnSeveralLines_AndSentWithItsLineBreaks()
    {
        // A one-line field drops a pasted key's line breaks, and a key without them cannot be read.
        var page = await _dashboard.SignInAsync("ana", "Administrator");
        await page.GotoAsync("/exports#/destinations/new");
        await page.GetByLabel("Name").FillAsync("key-sftp");
        await page.GetByLabel("Type").SelectOptionAsync(new SelectOptionValue { Label = "SFTP" });
        await page.GetByLabel("Authentication").SelectOptionAsync("privateKey");
        var key = page.GetByLabel("privateKey (secret)");
        (await key.EvaluateAsync<string>("e => e.tagName")).Should().Be("TEXTAREA");
        const string Text = "-----BEGIN OPENSSH PRIVATE KEY-----\nbm90LWEta2V5\n-----END OPENSSH PRIVATE KEY-----";
        await key.FillAsync(Text);
        string? sent = null;
        await page.RouteAsync("**/_api/destinations", async route =>
        {
            sent = route.Request.PostData;
            await route.ContinueAsync();
        });

        await page.GetByRole(AriaRole.Button, new() { Name = "Create destination" }).ClickAsync();

        await Expect(page.GetByLabel("host (required)")).ToHaveAttributeAsync("aria-invalid", "true");
        System.Text.Json.Nodes.JsonNode.Parse(sent!)!["settings"]!["privateKey"]!.GetValue<string>().Should().Be(Text);
    }

    [Fact]
    public async Task Sharing_KeepsWhatWasTypedInTheFormAbove_WhichThenSavesOverTheShare()
    {
        using var ana = _dashboard.ClientAs("ana", "Administrator");
        (await ana.PostAsJsonAsync("/exports/api/destinations", new { name = "shared-local", type = "local", settings = new { path = "shared-local" } }))
            .StatusCode.Should().Be(System.Net.HttpStatusCode.Created);
        var page = await _dashboard.SignInAsync("ana", "Administrator");
        await page.GotoAsync("/exports#/destinations/shared-local");
        await page.GetByLabel("Folder").FillAsync("typed-not-saved");

        // A share used to reload the page, and the folder typed above was lost.
        await page.GetByLabel("Contributor").FillAsync("cleo");
        await page.GetByRole(AriaRole.Button, new() { Name = "Share" }).ClickAsync();
        await Expect(page.Locator("#status")).ToContainTextAsync("Shared 'shared-local' with cleo (View).");
        await Expect(page.GetByRole(AriaRole.Listitem).Filter(new() { HasText = "cleo: View" })).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Folder")).ToHaveValueAsync("typed-not-saved");

        // The form took the share's ETag: its save is not refused as stale, and keeps the share.
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(page.GetByText("Saved the destination 'shared-local'.")).ToBeVisibleAsync();
        var saved = System.Text.Json.Nodes.JsonNode.Parse(await ana.GetStringAsync("/exports/api/destinations/shared-local"))!;
        saved["folderPath"]!.GetValue<string>().Should().Be("typed-not-saved");
        saved["sharedWith"]!["cleo"]!.GetValue<string>().Should().Be("View");
    }

    [Fact]
    public async Task AnAdministrator_AddsTestsSharesAndRemovesADestination_AndItsPasswordIsNeverShown()
    {
        var services = TestServices.Current;
        var page = await _dashboard.SignInAsync("ana", "Administrator");
        await page.GotoAsync("/exports#/destinations");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add destination" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Add destination" })).ToBeVisibleAsync();

        await page.GetByLabel("Name").FillAsync("partner-sftp");
        await page.GetByLabel("Type").SelectOptionAsync(new SelectOptionValue { Label = "SFTP" });
        await page.GetByLabel("Authentication").SelectOptionAsync("password");
        await page.GetByLabel("port").FillAsync(services.SftpPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByLabel("username (required)").FillAsync(services.SftpUser);
        await page.GetByLabel("password (secret)").FillAsync(services.SftpPassword);
        await page.GetByLabel("remotePath").FillAsync("upload");
        // A request the server never answers is retried after this, not waited for: the test below then still finishes.
        await page.GetByLabel("operationTimeout").FillAsync("00:00:10");
        await page.GetByLabel("hostKeyFingerprints").FillAsync(string.Join(',', services.SftpHostFingerprints));
        await page.GetByLabel("Folder").FillAsync("dashboard-" + Guid.NewGuid().ToString("N")[..8]);

        // The host is missing: the error stands beside its field, and nothing is saved.
        await page.GetByRole(AriaRole.Button, new() { Name = "Create destination" }).ClickAsync();
        var host = page.GetByLabel("host (required)");
        await Expect(host).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator(".field", new() { Has = host })).ToContainTextAsync("setting 'host' is required");

        await host.FillAsync(services.SftpHost);
        await page.GetByRole(AriaRole.Button, new() { Name = "Test connection" }).ClickAsync();
        // An SSH handshake and a probe write and rename: seconds on a loaded machine, and a retry after the 10 s timeout.
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Connection" })).ToContainTextAsync("Connection works", new() { Timeout = 60_000 });
        await Dashboard.ScreenshotAsync(page, "destination-add");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create destination" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Destination partner-sftp" })).ToBeVisibleAsync();
        await Expect(page.GetByLabel("password (secret, set)")).ToHaveValueAsync("");
        (await page.ContentAsync()).Should().NotContain(services.SftpPassword, "a secret is never sent back to the page");

        // An edit that leaves the password empty keeps it: the connection still works after saving. While the save is on
        // its way the buttons are disabled (the save is held here until that is seen), and the form is then replaced by
        // the one read back; the creation showed the same message, so the test waits for the old form to go.
        await page.GetByLabel("Folder").FillAsync("dashboard-edited");
        var edited = await page.Locator("form").Filter(new() { Has = page.GetByLabel("Folder") }).ElementHandleAsync();
        var release = new TaskCompletionSource();
        await page.RouteAsync("**/_api/destinations/partner-sftp", async route =>
        {
            if (route.Request.Method == "PUT")
            {
                await release.Task;
            }

            await route.ContinueAsync();
        });
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Test connection" })).ToBeDisabledAsync();
        release.SetResult();
        await page.WaitForFunctionAsync("form => !form.isConnected", edited);
        await page.UnrouteAllAsync();
        await Expect(page.GetByText("Saved the destination 'partner-sftp'.")).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Folder")).ToHaveValueAsync("dashboard-edited");
        await page.GetByRole(AriaRole.Button, new() { Name = "Test connection" }).ClickAsync();
        // An SSH handshake and a probe write and rename: seconds on a loaded machine, and a retry after the 10 s timeout.
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Connection" })).ToContainTextAsync("Connection works", new() { Timeout = 60_000 });

        await page.GetByLabel("Contributor").FillAsync("cleo");
        await page.GetByLabel("Access").SelectOptionAsync("Edit");
        await page.GetByRole(AriaRole.Button, new() { Name = "Share" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Listitem).Filter(new() { HasText = "cleo: Edit" })).ToBeVisibleAsync();
        await Dashboard.ScreenshotAsync(page, "destination-edit");

        // cleo now sees it; then it is removed.
        var cleo = await _dashboard.SignInAsync("cleo", "Contributor");
        await cleo.GotoAsync("/exports#/destinations");
        await Expect(cleo.GetByRole(AriaRole.Link, new() { Name = "partner-sftp" })).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Destinations", Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "partner-sftp" })).ToHaveCountAsync(0);
    }
}
