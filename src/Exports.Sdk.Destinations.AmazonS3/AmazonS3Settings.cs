namespace Exports.Sdk.Destinations.AmazonS3;

/// <summary>The keys of <see cref="DestinationDefinition.Settings"/> that the Amazon S3 provider reads (case-insensitive).</summary>
public static class AmazonS3Settings
{
    /// <summary>The bucket name. Required.</summary>
    public const string Bucket = "bucket";

    /// <summary>A key prefix inside the bucket that every file goes under (before <see cref="DestinationDefinition.FolderPath"/>). Default: none.</summary>
    public const string Prefix = "prefix";

    /// <summary>The AWS region, e.g. <c>eu-west-1</c>. Default: the SDK's region resolution (environment, profile); <c>us-east-1</c> with a service URL.</summary>
    public const string Region = "region";

    /// <summary>The access key id (auth scheme <see cref="AccessKeyScheme"/>).</summary>
    public const string AccessKeyId = "accessKeyId";

    /// <summary>The secret access key (secret; auth scheme <see cref="AccessKeyScheme"/>).</summary>
    public const string SecretAccessKey = "secretAccessKey";

    /// <summary>A session token for temporary credentials (secret; optional with <see cref="AccessKeyScheme"/>).</summary>
    public const string SessionToken = "sessionToken";

    /// <summary>The endpoint of an S3-compatible store (MinIO, Cloudflare R2, Google Cloud Storage interoperability), e.g. <c>https://minio.example.com:9000</c>.</summary>
    public const string ServiceUrl = "serviceUrl";

    /// <summary>Whether to address buckets as <c>endpoint/bucket/key</c> instead of <c>bucket.endpoint/key</c>. Default false (most S3-compatible stores need true).</summary>
    public const string ForcePathStyle = "forcePathStyle";

    /// <summary>The size of each multipart part, buffered in memory one or two at a time. Default 8 MiB, at least 5 MiB.</summary>
    public const string PartSize = "partSize";

    /// <summary>How often one request (or part) is retried after a transient failure. Default 3.</summary>
    public const string MaxRetryAttempts = "maxRetryAttempts";

    /// <summary>The first retry delay; later ones grow exponentially, with jitter. Default 1 s.</summary>
    public const string RetryDelay = "retryDelay";

    /// <summary>The time one attempt of one request may take (a part upload included). Default 100 s.</summary>
    public const string RequestTimeout = "requestTimeout";

    /// <summary>Auth scheme: an access key id and secret access key in the settings.</summary>
    public const string AccessKeyScheme = "accessKey";

    /// <summary>Auth scheme: the SDK's default credential chain (environment, profile, container or instance role, SSO).</summary>
    public const string DefaultCredentialsScheme = "defaultCredentials";
}
