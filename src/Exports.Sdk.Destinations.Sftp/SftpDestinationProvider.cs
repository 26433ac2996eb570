using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Exports.Sdk.Destinations.Sftp;

/// <summary>
/// The SFTP destination provider (type <c>sftp</c>): password or private-key authentication, host-key pinning, temp
/// name plus atomic rename. Register it with <c>AddSftpDestinations()</c>.
/// </summary>
public sealed class SftpDestinationProvider() : DestinationProvider<SftpDestinationOptions>(new DestinationDescriptor(TypeName, "SFTP")
{
    Description = "Uploads files to an SFTP server under a hidden temp name and renames them into place; the server's host key must be pinned.",
    AuthSchemes = [SftpDestinationOptions.PasswordScheme, SftpDestinationOptions.PrivateKeyScheme],
})
{
    /// <summary>The provider type name, <c>sftp</c>.</summary>
    public const string TypeName = "sftp";

    /// <inheritdoc />
    protected override IDestination CreateDestination(DestinationDefinition definition, SftpDestinationOptions options, IServiceProvider services)
    {
        var logger = services.GetService<ILoggerFactory>()?.CreateLogger("Exports.Sdk.Destinations.Sftp") ?? NullLogger.Instance;
        var timeProvider = services.GetService<TimeProvider>() ?? TimeProvider.System;
        return new SftpDestination(definition.Name, options, timeProvider, logger);
    }
}
