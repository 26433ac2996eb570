using System.Diagnostics;
using Exports.Sdk.Destinations.IntegrationTests.Infrastructure;
using Exports.Sdk.Destinations.Sftp;
using Microsoft.Extensions.DependencyInjection;

namespace Exports.Sdk.Destinations.IntegrationTests.Sftp;

/// <summary>Password and key authentication, host-key pinning, and bad input, against the private sshd.</summary>
public sealed class SftpAuthAndErrorTests : IAsyncLifetime
{
    private static readonly TestServices Services = TestServices.Current;
    private string _folder = "";

    public async Task InitializeAsync() => _folder = await SftpTestStore.CreateFolderAsync("auth-" + Guid.NewGuid().ToString("N"));

    public Task DisposeAsync()
    {
        Directory.Delete(SftpTestStore.LocalPath(_folder), recursive: true);
        return Task.CompletedTask;
    }

    private ExportHarness App(Action<SftpDestinationOptions> change, int? port = null, long members = 500) =>
        ExportHarness.Create(b => b.AddSftpDestination(ExportHarness.DestinationName, sftp =>
        {
            var o = SftpTestStore.Options(_folder, port);
            (sftp.Host, sftp.Port, sftp.Username, sftp.Password, sftp.RemotePath) = (o.Host, o.Port, o.Username, o.Password, o.RemotePath);
            // Short timeouts only where the server never answers: a busy machine's key exchange can take seconds.
            (sftp.ConnectTimeout, sftp.OperationTimeout, sftp.MaxRetryAttempts, sftp.RetryDelay) = (TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(15), 1, TimeSpan.FromMilliseconds(100));
            foreach (var fingerprint in o.HostKeyFingerprints)
            {
                sftp.HostKeyFingerprints.Add(fingerprint);
            }

            change(sftp);
        }), members);

    private static string[] AllSecrets => [Services.SftpPassword, Services["SFTP_KEY_PASSPHRASE"], KeyBody(Services["SFTP_KEY_ED25519"]), KeyBody(Services["SFTP_KEY_RSA"])];

    /// <summary>A line from the middle of a private key file: if any key material leaked, this would show.</summary>
    private static string KeyBody(string path) => File.ReadAllLines(path)[2];

    public static TheoryData<string> Keys => new() { "SFTP_KEY_ED25519", "SFTP_KEY_RSA", "SFTP_KEY_ECDSA" };

    [Theory]
    [MemberData(nameof(Keys))]
    public async Task PrivateKey_FromFile_ExportsAndPassesTheConnectionTest(string key)
    {
        await using var app = App(o => (o.Password, o.PrivateKey) = (null, Services[key]));

        var test = await app.Destination.TestConnectionAsync();
        var result = await app.RunAsync(new ExportRunRequest());

        test.Succeeded.Should().BeTrue(test.Message);
        await ExportVerifier.VerifyAsync(result, path => Task.FromResult<Stream>(File.OpenRead(Path.Combine(SftpTestStore.LocalPath(_folder), path))));
        Secrets.ShouldNotAppearIn(AllSecrets, app.Logs.AllText, test.Message);
    }

    [Fact]
    public async Task PassphraseProtectedKey_AsKeyText_Exports()
    {
        var keyText = await File.ReadAllTextAsync(Services["SFTP_KEY_PASSPHRASE_PROTECTED"]);
        await using var app = App(o => (o.Password, o.PrivateKey, o.PrivateKeyPassphrase) = (null, keyText, Services["SFTP_KEY_PASSPHRASE"]));

        var result = await app.RunAsync(new ExportRunRequest());

        result.Status.Should().Be(ExportRunStatus.Succeeded, string.Join("; ", result.Errors));
        Secrets.ShouldNotAppearIn([.. AllSecrets, keyText.Split('\n')[2]], app.Logs.AllText, app.Definition.ToString());
    }

    [Fact]
    public async Task Password_ExportsAndPassesTheConnectionTest()
    {
        await using var app = App(_ => { });

        var test = await app.Destination.TestConnectionAsync();
        var result = await app.RunAsync(new ExportRunRequest());

        test.Succeeded.Should().BeTrue(test.Message);
        result.Status.Should().Be(ExportRunStatus.Succeeded, string.Join("; ", result.Errors));
        Secrets.ShouldNotAppearIn(AllSecrets, app.Logs.AllText, test.Message);
    }

    [Fact]
    public async Task WrongPassword_FailsNamingUserAndServer_WithoutTheSecret()
    {
        const string wrong = "Wrong-Password-7c2e";
        await using var app = App(o => o.Password = wrong);

        var watch = Stopwatch.StartNew();
        var test = await app.Destination.TestConnectionAsync();
        var result = await app.RunAsync(new ExportRunRequest());

        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(15));
        test.Succeeded.Should().BeFalse();
        test.Message.Should().Contain("Destination 'target'").And.Contain("refused authentication of user 'sftptest'");
        result.Errors.Should().ContainSingle().Which.Should().Contain("refused authentication");
        Secrets.ShouldNotAppearIn([.. AllSecrets, wrong], app.Logs.AllText, test.Message, string.Join(" ", result.Errors));
    }

    [Fact]
    public async Task UnauthorizedKey_IsRefused()
    {
        // A valid key that is not in authorized_keys.
        await using var app = App(o => (o.Password, o.PrivateKey) = (null, Path.Combine(Services["SFTP_DIR"], "alt_host_ed25519_key")));

        var test = await app.Destination.TestConnectionAsync();

        test.Message.Should().Contain("refused authentication").And.Contain("a private key");
    }

    [Fact]
    public async Task MissingRemoteFolder_FailsNamingTheFolder()
    {
        await using var app = App(o => o.RemotePath = _folder + "/does-not-exist");

        var test = await app.Destination.TestConnectionAsync();
        var result = await app.RunAsync(new ExportRunRequest());

        test.Message.Should().Contain($"the remote folder '{_folder}/does-not-exist'").And.Contain("does not exist");
        result.Errors.Should().ContainSingle().Which.Should().Contain("Destination 'target'").And.Contain("does not exist");
    }

    [Fact]
    public async Task ChangedHostKey_IsRefused_NamingTheOfferedAndPinnedFingerprints()
    {
        await using var server = await PrivateServer.StartSshdAsync(alternateHostKeys: true);
        await using var app = App(_ => { }, server.Port);

        var test = await app.Destination.TestConnectionAsync();
        var result = await app.RunAsync(new ExportRunRequest());

        test.Succeeded.Should().BeFalse();
        test.Message.Should().Contain("host key").And.Contain("is not trusted").And.Contain(Services.SftpHostFingerprints[0])
            .And.Match(m => Services.SftpAltHostFingerprints.Any(f => m.Contains(f, StringComparison.Ordinal)));
        result.Errors.Should().ContainSingle().Which.Should().Contain("is not trusted");
        app.Logs.Lines.Should().NotContain(l => l.EventId.Id == 2200, "a refused host key is not retried");
        Secrets.ShouldNotAppearIn(AllSecrets, app.Logs.AllText);
    }

    [Fact]
    public async Task UnknownHostKey_IsRefusedUnlessExplicitlyAllowed()
    {
        var definition = new DestinationDefinition { Name = "unpinned", Type = SftpDestinationProvider.TypeName };
        var options = SftpTestStore.Options(_folder);
        options.HostKeyFingerprints.Clear();
        DestinationSettingsBinder.Write(options, definition.Settings);
        var provider = new SftpDestinationProvider();

        provider.Validate(definition).Should().ContainSingle().Which.Should().Contain("'hostKeyFingerprints' is required");

        await using var allowed = App(o =>
        {
            o.HostKeyFingerprints.Clear();
            o.AllowUnknownHostKey = true;
        });
        (await allowed.Destination.TestConnectionAsync()).Succeeded.Should().BeTrue();
        allowed.Logs.Lines.Should().Contain(l => l.EventId.Id == 2202, "accepting an unpinned key is logged as a warning");
    }

    [Fact]
    public async Task UnreachableOrHangingServer_FailsWithinTheConnectTimeout()
    {
        using var hole = new BlackHoleServer();
        await using var refused = App(o => o.ConnectTimeout = TimeSpan.FromSeconds(2), BlackHoleServer.ClosedPort());
        await using var hung = App(o => o.ConnectTimeout = TimeSpan.FromSeconds(2), hole.Port);

        var watch = Stopwatch.StartNew();
        var refusedTest = await refused.Destination.TestConnectionAsync();
        var hungResult = await hung.RunAsync(new ExportRunRequest());

        // Two attempts of a 2 s connect timeout each, plus the refused ones: far below two of SSH.NET's own 30 s, generous
        // for a busy machine.
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30));
        refusedTest.Message.Should().Contain("Destination 'target'").And.Contain("cannot connect to the SFTP server 127.0.0.1:");
        hungResult.Errors.Should().ContainSingle().Which.Should().Contain("timed out");
        hung.Logs.Lines.Should().Contain(l => l.EventId.Id == 2200, "the retry is logged");
        Secrets.ShouldNotAppearIn(AllSecrets, refused.Logs.AllText, hung.Logs.AllText, refusedTest.Message);
    }
}
