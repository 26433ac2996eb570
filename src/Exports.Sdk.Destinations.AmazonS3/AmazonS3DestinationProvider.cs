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
public sealed class AmazonS3DestinationProvider : IDestinationProvider
{
    /// <summary>The provider type name, <c>amazon-s3</c>.</summary>
    public const string TypeName = "amazon-s3";

    /// <summary>The settings the provider reads.</summary>
    internal static IReadOnlyList<DestinationSettingDescriptor> SettingDescriptors { get; } =
    [
        new(AmazonS3Settings.Bucket, "The bucket name.") { IsRequired = true },
        new(AmazonS3Settings.Prefix, "A key prefix inside the bucket for every file, before the destination's FolderPath. Default: none."),
        new(AmazonS3Settings.Region, "The AWS region, e.g. eu-west-1. Default: the SDK's region resolution (AWS_REGION, profile); us-east-1 with a service URL."),
        new(AmazonS3Settings.AccessKeyId, "The access key id. Omit (with the secret) to use the SDK's default credential chain.") { AuthScheme = AmazonS3Settings.AccessKeyScheme },
        new(AmazonS3Settings.SecretAccessKey, "The secret access key.") { IsSecret = true, AuthScheme = AmazonS3Settings.AccessKeyScheme },
        new(AmazonS3Settings.SessionToken, "A session token for temporary credentials. Default: none.") { IsSecret = true, AuthScheme = AmazonS3Settings.AccessKeyScheme },
        new(AmazonS3Settings.ServiceUrl, "The endpoint of an S3-compatible store (MinIO, Cloudflare R2, Google Cloud Storage interoperability). Default: AWS."),
        new(AmazonS3Settings.ForcePathStyle, "Whether to use path-style addressing (endpoint/bucket/key); most S3-compatible stores need true. Default false.") { DefaultValue = "false" },
        new(AmazonS3Settings.PartSize, "The multipart part size (e.g. 8MiB), buffered in memory at most twice per file. Default 8MiB, at least 5MiB; a file has at most 10,000 parts.") { DefaultValue = "8MiB" },
        new(AmazonS3Settings.MaxRetryAttempts, "Retries of one request or part after a transient failure (timeouts, throttling, 5xx, dropped connections). Default 3.") { DefaultValue = "3" },
        new(AmazonS3Settings.RetryDelay, "The first retry delay, growing exponentially with jitter. Default 00:00:01.") { DefaultValue = "00:00:01" },
        new(AmazonS3Settings.RequestTimeout, "The time one attempt of one request (one part upload included) may take. Default 00:01:40.") { DefaultValue = "00:01:40" },
    ];

    /// <inheritdoc />
    public DestinationDescriptor Descriptor { get; } = new(TypeName, "Amazon S3")
    {
        Description = "Writes files to an Amazon S3 bucket or an S3-compatible store (MinIO, Cloudflare R2, Google Cloud Storage interoperability) with streaming multipart uploads; a file appears only when complete.",
        Settings = SettingDescriptors,
        AuthSchemes = [AmazonS3Settings.AccessKeyScheme, AmazonS3Settings.DefaultCredentialsScheme],
    };

    /// <inheritdoc />
    public IReadOnlyList<string> Validate(DestinationDefinition definition)
    {
        AmazonS3DestinationOptions.Read(definition, out var problems);
        return problems;
    }

    /// <inheritdoc />
    public IDestination Create(DestinationDefinition definition, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(services);
        var options = AmazonS3DestinationOptions.Read(definition, out var problems);
        if (problems.Count > 0)
        {
            throw new ExportValidationException(problems);
        }

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
