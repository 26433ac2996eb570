using System.ComponentModel.DataAnnotations;

namespace Exports.Sdk.Destinations.AmazonS3;

/// <summary>
/// The settings of an Amazon S3 (or S3-compatible) destination. Bound from <see cref="DestinationDefinition.Settings"/>
/// (keys: the property names in camel case) by <see cref="DestinationSettingsBinder"/>. <see cref="ToString"/> never
/// shows secrets.
/// </summary>
public sealed class AmazonS3DestinationOptions : IValidatableObject
{
    /// <summary>Auth scheme: an access key id and secret access key in the settings.</summary>
    public const string AccessKeyScheme = "accessKey";

    /// <summary>Auth scheme: the SDK's default credential chain (environment, profile, container or instance role, SSO).</summary>
    public const string DefaultCredentialsScheme = "defaultCredentials";

    /// <summary>The default <see cref="PartSize"/>, 8 MiB.</summary>
    public const long DefaultPartSize = 8L << 20;

    /// <summary>The smallest <see cref="PartSize"/> S3 accepts for all but the last part, 5 MiB.</summary>
    public const long MinimumPartSize = 5L << 20;

    /// <summary>The largest <see cref="PartSize"/>, 1 GiB (S3 allows 5 GiB; each part is buffered in memory).</summary>
    public const long MaximumPartSize = 1L << 30;

    private string? _prefix;

    /// <summary>The bucket name. Required.</summary>
    [DestinationSetting("The bucket name.", IsRequired = true)]
    public string Bucket { get; set; } = "";

    /// <summary>A key prefix inside the bucket for every file. Default: none.</summary>
    [DestinationSetting("A key prefix inside the bucket for every file, before the destination's FolderPath.")]
    public string? Prefix { get => _prefix; set => _prefix = value?.Trim('/'); }

    /// <summary>The AWS region. Default: the SDK's resolution (environment, profile); <c>us-east-1</c> with <see cref="ServiceUrl"/>.</summary>
    [DestinationSetting("The AWS region, e.g. eu-west-1. Default: the SDK's region resolution (AWS_REGION, profile); us-east-1 with a service URL.")]
    public string? Region { get; set; }

    /// <summary>The access key id; null to use the SDK's default credential chain.</summary>
    [DestinationSetting("The access key id. Omit (with the secret) to use the SDK's default credential chain.", AuthScheme = AccessKeyScheme)]
    public string? AccessKeyId { get; set; }

    /// <summary>The secret access key (secret).</summary>
    [DestinationSetting("The secret access key.", IsSecret = true, AuthScheme = AccessKeyScheme)]
    public string? SecretAccessKey { get; set; }

    /// <summary>A session token for temporary credentials (secret). Default: none.</summary>
    [DestinationSetting("A session token for temporary credentials.", IsSecret = true, AuthScheme = AccessKeyScheme)]
    public string? SessionToken { get; set; }

    /// <summary>The endpoint of an S3-compatible store. Default: AWS.</summary>
    [DestinationSetting("The endpoint of an S3-compatible store (MinIO, Cloudflare R2, Google Cloud Storage interoperability). Default: AWS.")]
    public Uri? ServiceUrl { get; set; }

    /// <summary>Whether to use path-style addressing. Default false.</summary>
    [DestinationSetting("Whether to use path-style addressing (endpoint/bucket/key); most S3-compatible stores need true.")]
    public bool ForcePathStyle { get; set; }

    /// <summary>The multipart part size in bytes. Default <see cref="DefaultPartSize"/>; at least <see cref="MinimumPartSize"/>.</summary>
    [DestinationSetting("The multipart part size (e.g. 8MiB), buffered in memory at most twice per file; a file has at most 10,000 parts.", Minimum = "5MiB", Maximum = "1GiB")]
    public long PartSize { get; set; } = DefaultPartSize;

    /// <summary>Retries of one request after a transient failure. Default 3.</summary>
    [DestinationSetting("Retries of one request or part after a transient failure (timeouts, throttling, 5xx, dropped connections).", Minimum = "0", Maximum = "20")]
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>The first retry delay (exponential backoff with jitter). Default 1 s.</summary>
    [DestinationSetting("The first retry delay, growing exponentially with jitter.", Minimum = "00:00:00", Maximum = "00:05:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The time one attempt of one request may take. Default 100 s.</summary>
    [DestinationSetting("The time one attempt of one request (one part upload included) may take.", Minimum = "00:00:00.1", Maximum = "01:00:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>The auth scheme these options use: <see cref="AmazonS3DestinationOptions.AccessKeyScheme"/> or <see cref="AmazonS3DestinationOptions.DefaultCredentialsScheme"/>.</summary>
    public string AuthScheme => AccessKeyId is null ? DefaultCredentialsScheme : AccessKeyScheme;

    /// <summary>Checks what spans several settings, or a value's shape beyond its type.</summary>
    /// <param name="validationContext">Unused.</param>
    /// <returns>The problems, each naming the settings.</returns>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // Loose on purpose: S3-compatible stores differ (Google Cloud Storage allows '_' and longer names).
        if (Bucket.Length > 0 && (Bucket.Length is < 3 or > 255 || Bucket.Any(c => c == '/' || char.IsWhiteSpace(c) || char.IsControl(c))))
        {
            yield return new($"setting 'bucket' must be a bucket name (3-255 characters, no '/' or spaces), not '{Bucket}'.", [nameof(Bucket)]);
        }

        if (Prefix is { Length: > 0 } prefix && DestinationPath.Check(prefix) is { } prefixProblem)
        {
            yield return new($"setting 'prefix' '{prefix}' is not allowed: {prefixProblem}.", [nameof(Prefix)]);
        }

        if ((AccessKeyId is null) != (SecretAccessKey is null))
        {
            yield return new("settings 'accessKeyId' and 'secretAccessKey' go together: set both, or neither to use the default credential chain.", [nameof(AccessKeyId), nameof(SecretAccessKey)]);
        }

        if (SessionToken is not null && AccessKeyId is null)
        {
            yield return new("setting 'sessionToken' needs 'accessKeyId' and 'secretAccessKey'.", [nameof(SessionToken)]);
        }

        if (ServiceUrl is { } url && (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp || !string.IsNullOrEmpty(url.UserInfo)))
        {
            yield return new("setting 'serviceUrl' must be an absolute http(s) URL without user information.", [nameof(ServiceUrl)]);
        }
    }

    /// <summary>Describes the location and auth scheme; never the secret key or session token.</summary>
    /// <returns>A description without secrets.</returns>
    public override string ToString() =>
        $"s3://{Bucket}/{Prefix} ({AuthScheme}{(ServiceUrl is null ? "" : ", endpoint " + ServiceUrl)})";
}
