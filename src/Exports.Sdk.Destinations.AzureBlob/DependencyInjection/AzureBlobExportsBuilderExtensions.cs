using Azure.Core;
using Exports.Sdk;
using Exports.Sdk.Destinations.AzureBlob;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Azure Blob destination provider and declares Azure Blob destinations.</summary>
public static class AzureBlobExportsBuilderExtensions
{
    /// <summary>
    /// Registers the <c>azure-blob</c> provider, so destinations of that type (from configuration or code) work.
    /// Safe to call more than once.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IExportsBuilder AddAzureBlobDestinations(this IExportsBuilder builder) =>
        builder.AddDestinationProvider<AzureBlobDestinationProvider>();

    /// <summary>
    /// Registers the provider and declares an Azure Blob destination in code. A <see cref="AzureBlobDestinationOptions.Credential"/>
    /// is registered as a keyed <see cref="TokenCredential"/> named after the destination.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The destination name.</param>
    /// <param name="configure">Sets the connection (connection string, SAS URL or account URL + credential), container and block size.</param>
    /// <param name="configureDefinition">Sets the folder path, output (format, splitting, manifest) and sharing, or applies a preset.</param>
    /// <returns>The builder.</returns>
    public static IExportsBuilder AddAzureBlobDestination(
        this IExportsBuilder builder, string name, Action<AzureBlobDestinationOptions> configure, Action<DestinationDefinition>? configureDefinition = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new AzureBlobDestinationOptions();
        configure(options);
        if (options.Credential is { } credential)
        {
            builder.Services.AddKeyedSingleton(options.CredentialName ?? name, credential);
        }

        return builder.AddAzureBlobDestinations().AddDestination(name, AzureBlobDestinationProvider.TypeName, definition =>
        {
            DestinationSettingsBinder.Write(options, definition.Settings);
            configureDefinition?.Invoke(definition);
        });
    }
}
