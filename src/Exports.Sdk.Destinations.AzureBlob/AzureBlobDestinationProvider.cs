using Azure.Core;
using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Exports.Sdk.Destinations.AzureBlob;

/// <summary>
/// The Azure Blob destination provider (type <c>azure-blob</c>); ADLS Gen2 accounts work through their blob endpoint.
/// Register it with <c>AddAzureBlobDestinations()</c>.
/// </summary>
public sealed class AzureBlobDestinationProvider : IDestinationProvider
{
    /// <summary>The provider type name, <c>azure-blob</c>.</summary>
    public const string TypeName = "azure-blob";

    /// <summary>The settings the provider reads.</summary>
    internal static IReadOnlyList<DestinationSettingDescriptor> SettingDescriptors { get; } =
    [
        new(AzureBlobSettings.ConnectionString, "A storage account connection string (AccountName + AccountKey, or BlobEndpoint + SharedAccessSignature).") { IsSecret = true, AuthScheme = AzureBlobSettings.ConnectionStringScheme },
        new(AzureBlobSettings.ContainerSasUrl, "A container SAS URL (https://account.blob.core.windows.net/container?sv=...&sig=...), e.g. a partner's data landing zone. Needs write (w), delete (d) and list (l); create (c) is enough in place of write for new blobs.") { IsSecret = true, AuthScheme = AzureBlobSettings.SasUrlScheme },
        new(AzureBlobSettings.AccountUrl, "The account's blob endpoint (https://account.blob.core.windows.net), with a TokenCredential registered in code.") { AuthScheme = AzureBlobSettings.TokenCredentialScheme },
        new(AzureBlobSettings.CredentialName, "The key of a keyed TokenCredential service. Default: the destination name, then an unkeyed TokenCredential.") { AuthScheme = AzureBlobSettings.TokenCredentialScheme },
        new(AzureBlobSettings.Container, "The container name. Required unless the SAS URL names it."),
        new(AzureBlobSettings.Prefix, "A blob name prefix for every file, before the destination's FolderPath. Default: none."),
        new(AzureBlobSettings.BlockSize, "The staged block size (e.g. 8MiB), buffered in memory at most twice per file. Default 8MiB; a blob has at most 50,000 blocks.") { DefaultValue = "8MiB" },
        new(AzureBlobSettings.TransferChecksum, "The per-block transfer checksum the service verifies: md5, crc64 or none. Default md5.") { DefaultValue = "md5" },
        new(AzureBlobSettings.ServiceVersion, "The storage service version to request (e.g. 2026-06-06), for emulators or sovereign clouds that lag behind. Default: the client library's newest."),
        new(AzureBlobSettings.MaxRetryAttempts, "Retries of one request or block after a transient failure (timeouts, throttling, 5xx, dropped connections). Default 3.") { DefaultValue = "3" },
        new(AzureBlobSettings.RetryDelay, "The first retry delay, growing exponentially with jitter. Default 00:00:01.") { DefaultValue = "00:00:01" },
        new(AzureBlobSettings.RequestTimeout, "The time one attempt of one request (one block upload included) may take. Default 00:01:40.") { DefaultValue = "00:01:40" },
    ];

    /// <inheritdoc />
    public DestinationDescriptor Descriptor { get; } = new(TypeName, "Azure Blob Storage")
    {
        Description = "Writes files to an Azure Blob container (or an ADLS Gen2 account through its blob endpoint) as staged blocks committed at the end; a file appears only when complete.",
        Settings = SettingDescriptors,
        AuthSchemes = [AzureBlobSettings.ConnectionStringScheme, AzureBlobSettings.SasUrlScheme, AzureBlobSettings.TokenCredentialScheme],
    };

    /// <inheritdoc />
    public IReadOnlyList<string> Validate(DestinationDefinition definition)
    {
        AzureBlobDestinationOptions.Read(definition, out var problems);
        return problems;
    }

    /// <inheritdoc />
    public IDestination Create(DestinationDefinition definition, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(services);
        var options = AzureBlobDestinationOptions.Read(definition, out var problems);
        if (problems.Count > 0)
        {
            throw new ExportValidationException(problems);
        }

        if (options.AuthScheme == AzureBlobSettings.TokenCredentialScheme)
        {
            var key = options.CredentialName ?? definition.Name;
            options.Credential = services.GetKeyedService<TokenCredential>(key) ?? services.GetService<TokenCredential>()
                ?? throw new ExportValidationException(
                    $"Destination '{definition.Name}': setting '{AzureBlobSettings.AccountUrl}' needs a TokenCredential: register one as a keyed service named '{key}' (AddAzureBlobDestination does) or as a TokenCredential service.");
        }

        var logger = services.GetService<ILoggerFactory>()?.CreateLogger("Exports.Sdk.Destinations.AzureBlob") ?? NullLogger.Instance;
        var timeProvider = services.GetService<TimeProvider>() ?? TimeProvider.System;
        return new AzureBlobDestination(definition.Name, options, CreateContainerClient(definition.Name, options), timeProvider, logger);
    }

    internal static BlobContainerClient CreateContainerClient(string destination, AzureBlobDestinationOptions options)
    {
        var clientOptions = options.ServiceVersion is { } version ? new BlobClientOptions(version) : new BlobClientOptions();
        // Retries are ours (logged, per request, on TimeProvider); the SDK's would multiply them.
        clientOptions.Retry.MaxRetries = 0;
        clientOptions.Retry.NetworkTimeout = options.RequestTimeout;
        try
        {
            return options.AuthScheme switch
            {
                AzureBlobSettings.ConnectionStringScheme => new BlobServiceClient(options.ConnectionString, clientOptions).GetBlobContainerClient(options.Container),
                AzureBlobSettings.SasUrlScheme => new BlobContainerClient(options.ContainerSasUrl, clientOptions),
                _ => new BlobServiceClient(options.AccountUrl, options.Credential, clientOptions).GetBlobContainerClient(options.Container),
            };
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or UriFormatException)
        {
            // The client's message may quote the connection string; keep it out, and the exception as well.
            throw new ExportValidationException($"Destination '{destination}': the {options.AuthScheme} setting could not be used to build a Blob client ({ex.GetType().Name}).");
        }
    }
}
