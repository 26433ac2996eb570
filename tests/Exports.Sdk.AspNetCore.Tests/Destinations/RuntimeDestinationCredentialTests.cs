using System.Net;
using System.Text.RegularExpressions;
using Exports.Sdk.Destinations.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Exports.Sdk.AspNetCore.Tests.Destinations;

/// <summary>
/// Whoever manages destinations at run time is not handed the host's own credentials: destinations created through the
/// API sign in with credentials of their own unless the host allows its identity, and protected text pasted into a
/// setting that is not secret is never decrypted.
/// </summary>
public sealed class RuntimeDestinationCredentialTests : IAsyncLifetime
{
    private readonly CapturingLoggerProvider _logs = new();
    private bool _allowHostCredentials;
    private ExportsWebFactory _web = null!;
    private HttpClient _admin = null!;

    public Task InitializeAsync()
    {
        _web = new ExportsWebFactory(configureServices: services => services
            .AddLogging(l => l.AddProvider(_logs).SetMinimumLevel(LogLevel.Trace))
            .PostConfigure<ExportsOptions>(o => o.AllowRunTimeHostCredentials = _allowHostCredentials));
        _admin = _web.Admin();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _web.DisposeAsync();

    [Theory]
    [InlineData("azure-blob", "accountUrl", "signs in with this host's own identity (tokenCredential)")]
    [InlineData("amazon-s3", "accessKeyId", "is required: without credentials of its own the destination would sign in with this host's identity (defaultCredentials)")]
    public async Task SigningInAsTheHost_IsRefused_UnlessTheHostAllowsIt_AndAgainOnUseOnceItNoLongerDoes(string type, string setting, string expected)
    {
        var settings = type == "azure-blob"
            ? new Dictionary<string, string> { ["accountUrl"] = "https://attacker.example", ["container"] = "landing" }
            : new Dictionary<string, string> { ["bucket"] = "landing", ["serviceUrl"] = "https://attacker.example" };
        var destination = new { name = "host-identity", type, settings };

        var (created, createdBody, _) = await _admin.PostJsonAsync("destinations", destination);
        var (tested, testedBody, _) = await _admin.PostJsonAsync("destinations/test", destination);

        foreach (var (status, body) in new[] { (created, createdBody), (tested, testedBody) })
        {
            status.Should().Be(HttpStatusCode.BadRequest, body?.ToJsonString());
            body!["detail"]!.GetValue<string>().Should().Contain($"Destination 'host-identity': setting '{setting}' {expected}")
                .And.Contain("Exports:AllowRunTimeHostCredentials");
        }

        (await _admin.GetJsonAsync("destinations/host-identity")).Status.Should().Be(HttpStatusCode.NotFound, "nothing was stored");

        // Allowed by the host, it is saved; once the host no longer allows it, it is refused when used.
        AllowHostCredentials(true);
        (created, createdBody, _) = await _admin.PostJsonAsync("destinations", destination);
        created.Should().Be(HttpStatusCode.Created, createdBody?.ToJsonString());
        AllowHostCredentials(false);

        var (usedStatus, used, _) = await _admin.PostJsonAsync("destinations/host-identity/test");

        usedStatus.Should().Be(HttpStatusCode.BadRequest, used?.ToJsonString());
        used!["detail"]!.GetValue<string>().Should().Contain($"setting '{setting}' {expected}");
    }

    [Fact]
    public async Task AKeyFileOfTheHost_IsRefused_WithoutSayingWhetherItExists_ButKeyTextAndOwnCredentialsAreTaken()
    {
        var services = TestServices.Current;
        Dictionary<string, string> Sftp(string privateKey) => new()
        {
            ["host"] = services.SftpHost,
            ["port"] = services.SftpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["username"] = services.SftpUser,
            ["privateKey"] = privateKey,
            ["hostKeyFingerprints"] = string.Join(',', services.SftpHostFingerprints),
        };
        var existing = Path.Combine(_web.Root, "host-key");
        await File.WriteAllTextAsync(existing, "not a key");

        var (present, presentBody, _) = await _admin.PostJsonAsync("destinations", new { name = "host-key", type = "sftp", settings = Sftp(existing) });
        var (absent, absentBody, _) = await _admin.PostJsonAsync("destinations/test", new { name = "host-key", type = "sftp", settings = Sftp(existing + "-missing") });

        present.Should().Be(HttpStatusCode.BadRequest, presentBody?.ToJsonString());
        absent.Should().Be(HttpStatusCode.BadRequest, absentBody?.ToJsonString());
        presentBody!["detail"]!.GetValue<string>().Should().Be(absentBody!["detail"]!.GetValue<string>(), "the answer does not depend on whether the file exists")
            .And.Be("Destination 'host-key': setting 'privateKey' must hold the content itself in a destination created at run time, not a file path: " +
                "a path would use a file of this host, which a destination created at run time may use only when Exports:AllowRunTimeHostCredentials is on.");

        // Key text is the destination's own, on several lines or on one (a form's field may drop the line breaks);
        // so is a connection string beside a stray credential name.
        foreach (var (name, text) in new[]
        {
            ("key-lines", "-----BEGIN OPENSSH PRIVATE KEY-----\nbm90LWEta2V5\n-----END OPENSSH PRIVATE KEY-----\n"),
            ("key-line", "-----BEGIN OPENSSH PRIVATE KEY-----\\nbm90LWEta2V5\\n-----END OPENSSH PRIVATE KEY-----"),
        })
        {
            var (keyText, keyTextBody, _) = await _admin.PostJsonAsync("destinations", new { name, type = "sftp", settings = Sftp(text) });
            keyText.Should().Be(HttpStatusCode.Created, keyTextBody?.ToJsonString());
        }

        var (own, ownBody, _) = await _admin.PostJsonAsync("destinations", new
        {
            name = "own-credentials",
            type = "azure-blob",
            settings = new Dictionary<string, string> { ["connectionString"] = services.AzuriteConnectionString, ["container"] = "landing", ["credentialName"] = "stray" },
        });
        own.Should().Be(HttpStatusCode.Created, ownBody?.ToJsonString());
    }

    [Fact]
    public async Task ProtectedTextPastedIntoASettingThatIsNotSecret_IsNeverDecrypted()
    {
        // A password stored encrypted; its ciphertext copied (from a backup, say) into another destination's user name
        // must reach the server, the messages and the logs as the ciphertext, never as the password.
        var services = TestServices.Current;
        var secret = "vault-secret-" + Guid.NewGuid().ToString("N")[..12];
        var sftp = new Dictionary<string, string>
        {
            ["host"] = services.SftpHost,
            ["port"] = services.SftpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["username"] = services.SftpUser,
            ["password"] = secret,
            ["hostKeyFingerprints"] = string.Join(',', services.SftpHostFingerprints),
        };
        (await _admin.PostJsonAsync("destinations", new { name = "vault", type = "sftp", settings = sftp })).Status.Should().Be(HttpStatusCode.Created);
        var ciphertext = Directory.EnumerateFiles(Path.Combine(_web.Root, "store"), "*", SearchOption.AllDirectories)
            .Select(file => Regex.Match(File.ReadAllText(file), "\"(protected:[^\"]+)\""))
            .Single(match => match.Success).Groups[1].Value;
        var probe = new Dictionary<string, string>(sftp) { ["username"] = ciphertext, ["password"] = "wrong-password" };
        (await _admin.PostJsonAsync("destinations", new { name = "probe", type = "sftp", settings = probe })).Status.Should().Be(HttpStatusCode.Created);

        var (status, body, _) = await _admin.PostJsonAsync("destinations/probe/test");

        status.Should().Be(HttpStatusCode.OK, body?.ToJsonString());
        body!["succeeded"]!.GetValue<bool>().Should().BeFalse();
        body["message"]!.GetValue<string>().Should().Contain("refused authentication of user 'protected:").And.NotContain(secret);
        _logs.AllText.Should().NotContain(secret);
    }

    private void AllowHostCredentials(bool allow)
    {
        _allowHostCredentials = allow;
        _web.Services.GetRequiredService<IOptionsMonitorCache<ExportsOptions>>().Clear();
    }
}
