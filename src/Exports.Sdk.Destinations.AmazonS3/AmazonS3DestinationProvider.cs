using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Exports.Sdk.Destinations.AmazonS3;

/// <summary>
/// The Amazon S3 destination provider (type <c>amazon-s3</c>): AWS S3 and S3-compatible stores through a custom
/// service URL. Register it with <c>AddAmazonS3Destinations()</c>.
/// </summary>
public sealed class AmazonS3DestinationProvider() : DestinationProvider<AmazonS3DestinationOptions>(new DestinationDescriptor(TypeName, "Amazon S3")
{
    Description = "Writes files to an Amazon S3 bucket or an S3-compatible store (MinIO, Cloudflare R2, Google Cloud Storage interoperability) with streaming multipart uploads; a file appears only when complete.",
    AuthSchemes = [AmazonS3DestinationOptions.AccessKeyScheme, AmazonS3DestinationOptions.DefaultCredentialsScheme],
    HostCredentialSchemes = [AmazonS3DestinationOptions.DefaultCredentialsScheme],
})
{
    /// <summary>The provider type name, <c>amazon-s3</c>.</summary>
    public const string TypeName = "amazon-s3";

    /// <inheritdoc />
    protected override IDestination CreateDestination(DestinationDefinition definition, AmazonS3DestinationOptions options, IServiceProvider services)
    {
        var logger = services.GetService<ILoggerFactory>()?.CreateLogger("Exports.Sdk.Destinations.AmazonS3") ?? NullLogger.Instance;
        var timeProvider = services.GetService<TimeProvider>() ?? TimeProvider.System;
        return new AmazonS3Destination(definition.Name, options, CreateClient(options), timeProvider, logger);
    }

    internal static AmazonS3Client CreateClient(AmazonS3DestinationOptions options)
    {
        var config = new AmazonS3Config
        {
            // Retries are ours (logged, per request, on TimeProvider); the SDK would multiply them.
            MaxErrorRetry = 0,
            Timeout = options.RequestTimeout,
            ForcePathStyle = options.ForcePathStyle,
        };
        if (options.ServiceUrl is not null)
        {
            config.ServiceURL = options.ServiceUrl.ToString();
            config.AuthenticationRegion = options.Region ?? "us-east-1";
        }
        else if (options.Region is not null)
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region);
        }

        if (options.AccessKeyId is null)
        {
            return new AmazonS3Client(config);
        }

        AWSCredentials credentials = options.SessionToken is null
            ? new BasicAWSCredentials(options.AccessKeyId, options.SecretAccessKey)
            : new SessionAWSCredentials(options.AccessKeyId, options.SecretAccessKey, options.SessionToken);
        return new AmazonS3Client(credentials, config);
    }
}
