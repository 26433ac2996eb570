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
public sealed class AzureBlobDestinationProvider() : DestinationProvider<AzureBlobDestinationOptions>(new DestinationDescriptor(TypeName, "Azure Blob Storage")
{
    Description = "Writes files to an Azure Blob container (or an ADLS Gen2 account through its blob endpoint) as staged blocks committed at the end; a file appears only when complete.",
    AuthSchemes = [AzureBlobDestinationOptions.ConnectionStringScheme, AzureBlobDestinationOptions.SasUrlScheme, AzureBlobDestinationOptions.TokenCredentialScheme],
    HostCredentialSchemes = [AzureBlobDestinationOptions.TokenCredentialScheme],
})
{
    /// <summary>The provider type name, <c>azure-blob</c>.</summary>
    public const string TypeName = "azure-blob";

    /// <inheritdoc />
    protected override IDestination CreateDestination(DestinationDefinition definition, AzureBlobDestinationOptions options, IServiceProvider services)
    {
        if (options.AuthScheme == AzureBlobDestinationOptions.TokenCredentialScheme)
        {
            var key = options.CredentialName ?? definition.Name;
            options.Credential = services.GetKeyedService<TokenCredential>(key) ?? services.GetService<TokenCredential>()
                ?? throw new ExportValidationException(
                    $"Destination '{definition.Name}': setting 'accountUrl' needs a TokenCredential: register one as a keyed service named '{key}' (AddAzureBlobDestination does) or as a TokenCredential service.");
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
                AzureBlobDestinationOptions.ConnectionStringScheme => new BlobServiceClient(options.ConnectionString, clientOptions).GetBlobContainerClient(options.Container),
                AzureBlobDestinationOptions.SasUrlScheme => new BlobContainerClient(options.ContainerSasUrl, clientOptions),
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
