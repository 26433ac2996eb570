using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Exports.Sdk.Destinations.Sftp;

/// <summary>
/// The SFTP destination provider (type <c>sftp</c>): password or private-key authentication, host-key pinning, temp
/// name plus atomic rename. Register it with <c>AddSftpDestinations()</c>.
/// </summary>
public sealed class SftpDestinationProvider : IDestinationProvider
{
    /// <summary>The provider type name, <c>sftp</c>.</summary>
    public const string TypeName = "sftp";

    /// <summary>The settings the provider reads.</summary>
    internal static IReadOnlyList<DestinationSettingDescriptor> SettingDescriptors { get; } =
    [
        new(SftpSettings.Host, "The server's host name or address.") { IsRequired = true },
        new(SftpSettings.Port, "The server's port. Default 22.") { DefaultValue = "22" },
        new(SftpSettings.Username, "The user name.") { IsRequired = true },
        new(SftpSettings.Password, "The password.") { IsSecret = true, AuthScheme = SftpSettings.PasswordScheme },
        new(SftpSettings.PrivateKey, "The private key (RSA, ECDSA or Ed25519; OpenSSH or PEM format): a file path or the key text.") { IsSecret = true, AuthScheme = SftpSettings.PrivateKeyScheme },
        new(SftpSettings.PrivateKeyPassphrase, "The private key's passphrase. Default: none.") { IsSecret = true, AuthScheme = SftpSettings.PrivateKeyScheme },
        new(SftpSettings.RemotePath, "The remote folder files go under (absolute, or relative to the login folder); it must exist, sub-folders are created. Default: the login folder."),
        new(SftpSettings.HostKeyFingerprints, "The trusted host-key fingerprints as printed by 'ssh-keygen -lf' (SHA256:...), comma-separated; pin every key type the server offers. Required unless allowUnknownHostKey is true."),
        new(SftpSettings.AllowUnknownHostKey, "Whether to accept any host key when none is pinned (testing only). Default false.") { DefaultValue = "false" },
        new(SftpSettings.ConnectTimeout, "The time to connect, exchange keys and authenticate. Default 00:00:15.") { DefaultValue = "00:00:15" },
        new(SftpSettings.OperationTimeout, "The time one SFTP request may take. Default 00:01:00.") { DefaultValue = "00:01:00" },
        new(SftpSettings.MaxRetryAttempts, "Retries of a connection or single request (not a file upload) after a transient failure. Default 3.") { DefaultValue = "3" },
        new(SftpSettings.RetryDelay, "The first retry delay, growing exponentially with jitter. Default 00:00:01.") { DefaultValue = "00:00:01" },
    ];

    /// <inheritdoc />
    public DestinationDescriptor Descriptor { get; } = new(TypeName, "SFTP")
    {
        Description = "Uploads files to an SFTP server under a hidden temp name and renames them into place; the server's host key must be pinned.",
        Settings = SettingDescriptors,
        AuthSchemes = [SftpSettings.PasswordScheme, SftpSettings.PrivateKeyScheme],
    };

    /// <inheritdoc />
    public IReadOnlyList<string> Validate(DestinationDefinition definition)
    {
        SftpDestinationOptions.Read(definition, out var problems);
        return problems;
    }

    /// <inheritdoc />
    public IDestination Create(DestinationDefinition definition, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(services);
        var options = SftpDestinationOptions.Read(definition, out var problems);
        if (problems.Count > 0)
        {
            throw new ExportValidationException(problems);
        }

        var logger = services.GetService<ILoggerFactory>()?.CreateLogger("Exports.Sdk.Destinations.Sftp") ?? NullLogger.Instance;
        var timeProvider = services.GetService<TimeProvider>() ?? TimeProvider.System;
        return new SftpDestination(definition.Name, options, timeProvider, logger);
    }
}
