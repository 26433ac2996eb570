using Exports.Sdk.Destinations.IntegrationTests.Infrastructure;

namespace Exports.Sdk.Destinations.IntegrationTests.Sftp;

/// <summary>
/// The same suite against ProFTPD's mod_sftp without posix-rename@openssh.com (issue 21, item 6): publishing,
/// overwriting and the connection test take the fallback for servers without the OpenSSH extension.
/// </summary>
public sealed class ProftpdConformanceTests : SftpConformanceTests
{
    protected override int Port => TestServices.Current.ProftpdPort;

    protected override IReadOnlyList<string> Fingerprints => TestServices.Current.ProftpdHostFingerprints;
}
