using System.Net.Sockets;
using Exports.Sdk.Destinations.Sftp;
using Renci.SshNet.Common;

namespace Exports.Sdk.Destinations.Tests.Sftp;

public class SftpDestinationProviderTests
{
    private const string Password = "sftp-password-secret-5521";
    private const string Fingerprint = "SHA256:pm0x0d7f5nblojKVrvWiQHmZHSb8NGZZFV8brw/cMmQ";

    [Fact]
    public void Descriptor_DescribesPasswordAndKeySchemes_AndSecrets()
    {
        var descriptor = new SftpDestinationProvider().Descriptor;

        descriptor.Type.Should().Be("sftp");
        descriptor.AuthSchemes.Should().Equal("password", "privateKey");
        descriptor.Settings.Where(s => s.IsSecret).Select(s => s.Name).Should().BeEquivalentTo("password", "privateKey", "privateKeyPassphrase");
        descriptor.Settings.Single(s => s.Name == "allowUnknownHostKey").DefaultValue.Should().Be("false");
    }

    [Fact]
    public void Validate_ReportsEveryProblem_AndRequiresAPinnedHostKey()
    {
        var definition = new DestinationDefinition { Name = "ftp", Type = "sftp" };
        definition.Settings["host"] = "sftp://host";
        definition.Settings["privateKeyPassphrase"] = Password;
        definition.Settings["port"] = "0";

        var problems = new SftpDestinationProvider().Validate(definition);

        string.Join(" ", problems).Should().Contain("'host' must be a host name").And.Contain("'username'").And.Contain("'port'")
            .And.Contain("set 'password' or 'privateKey'").And.Contain("'privateKeyPassphrase' needs 'privateKey'").And.Contain("'hostKeyFingerprints' is required")
            .And.NotContain(Password);
        problems.Should().OnlyContain(p => p.StartsWith("Destination 'ftp': ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("sftp://bob:" + Password + "@files.example.com")]
    [InlineData("bob:" + Password + "@files.example.com")]
    public void Validate_AHostWithAUserPart_IsRefused_WithoutRepeatingIt(string host)
    {
        var definition = new DestinationDefinition { Name = "ftp", Type = "sftp" };
        definition.Settings["host"] = host;

        var problems = string.Join(" ", new SftpDestinationProvider().Validate(definition));

        problems.Should().Contain("setting 'host' must be a host name or address (no scheme, user or path)").And.Contain("not repeated").And.NotContain(Password);
    }

    [Theory]
    [InlineData("SHA256:pm0x0d7f5nblojKVrvWiQHmZHSb8NGZZFV8brw/cMmQ")]
    [InlineData("sha256:pm0x0d7f5nblojKVrvWiQHmZHSb8NGZZFV8brw/cMmQ=")]
    [InlineData("pm0x0d7f5nblojKVrvWiQHmZHSb8NGZZFV8brw/cMmQ")]
    public void Fingerprints_AreAcceptedAsSshKeygenPrintsThem(string fingerprint)
    {
        HostKeyFingerprint.TryNormalize(fingerprint, out var normalized).Should().BeTrue();
        normalized.Should().Be(Fingerprint[7..]);
        HostKeyFingerprint.TryNormalize("MD5:aa:bb", out _).Should().BeFalse();
    }

    [Fact]
    public void Options_RoundTrip_AndToStringHidesSecrets()
    {
        var options = new SftpDestinationOptions { Host = "h", Port = 2222, Username = "u", Password = Password, RemotePath = "/in", AllowUnknownHostKey = false };
        options.HostKeyFingerprints.Add(Fingerprint);
        var definition = new DestinationDefinition { Name = "ftp" };

        DestinationSettingsBinder.Write(options, definition.Settings);
        var read = DestinationSettingsBinder.Bind<SftpDestinationOptions>(definition, out var problems);

        problems.Should().BeEmpty();
        read.HostKeyFingerprints.Should().Equal(Fingerprint);
        read.Should().BeEquivalentTo(options, o => o.Excluding(x => x.HostKeyFingerprints));
        options.ToString().Should().Be("sftp://u@h:2222/in (password)");
    }

    [Fact]
    public void ErrorMapper_MapsConnectionAndAuthenticationErrors()
    {
        var options = new SftpDestinationOptions { Host = "h", Port = 22, Username = "u", Password = Password };

        var auth = SftpErrorMapper.Map(new SshAuthenticationException("Permission denied (password)."), options, "ftp", "open", "f.csv", CancellationToken.None)!;
        var refused = SftpErrorMapper.Map(new SocketException((int)SocketError.ConnectionRefused), options, "ftp", "open", "f.csv", CancellationToken.None)!;
        var missing = SftpErrorMapper.Map(new SftpPathNotFoundException("No such file"), options, "ftp", "delete", "x/f.csv", CancellationToken.None)!;

        auth.IsTransient.Should().BeFalse();
        auth.Message.Should().Be("Destination 'ftp': the SFTP server h:22 refused authentication of user 'u' with a password; check 'username' and the credentials.");
        refused.IsTransient.Should().BeTrue();
        refused.Message.Should().StartWith("Destination 'ftp': cannot connect to the SFTP server h:22 (ConnectionRefused");
        missing.Message.Should().Be("Destination 'ftp': delete failed: 'x/f.csv' does not exist on h:22.");
    }
}
