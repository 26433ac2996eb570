using Exports.Sdk;
using Exports.Sdk.Destinations.AmazonS3;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Amazon S3 destination provider and declares S3 destinations.</summary>
public static class AmazonS3ExportsBuilderExtensions
{
    /// <summary>
    /// Registers the <c>amazon-s3</c> provider, so destinations of that type (from configuration or code) work.
    /// Safe to call more than once.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IExportsBuilder AddAmazonS3Destinations(this IExportsBuilder builder) =>
        builder.AddDestinationProvider<AmazonS3DestinationProvider>();

    /// <summary>Registers the provider and declares an S3 destination in code.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The destination name.</param>
    /// <param name="configure">Sets bucket, credentials, endpoint and part size.</param>
    /// <param name="configureDefinition">Sets the folder path, output (format, splitting, manifest) and sharing, or applies a preset.</param>
    /// <returns>The builder.</returns>
    public static IExportsBuilder AddAmazonS3Destination(
        this IExportsBuilder builder, string name, Action<AmazonS3DestinationOptions> configure, Action<DestinationDefinition>? configureDefinition = null)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return builder.AddAmazonS3Destinations().AddDestination(name, AmazonS3DestinationProvider.TypeName, definition =>
        {
            var options = new AmazonS3DestinationOptions();
            configure(options);
            DestinationSettingsBinder.Write(options, definition.Settings);
            configureDefinition?.Invoke(definition);
        });
    }
}
