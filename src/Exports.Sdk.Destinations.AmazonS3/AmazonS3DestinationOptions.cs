using System.Globalization;

namespace Exports.Sdk.Destinations.AmazonS3;

/// <summary>
/// The settings of an Amazon S3 (or S3-compatible) destination, typed. They live as strings in
/// <see cref="DestinationDefinition.Settings"/> under the keys of <see cref="AmazonS3Settings"/>; this type reads and
/// writes them. <see cref="ToString"/> never shows secrets.
/// </summary>
public sealed class AmazonS3DestinationOptions
{
    /// <summary>The default <see cref="PartSize"/>, 8 MiB.</summary>
    public const long DefaultPartSize = 8L << 20;

    /// <summary>The smallest <see cref="PartSize"/> S3 accepts for all but the last part, 5 MiB.</summary>
    public const long MinimumPartSize = 5L << 20;

    /// <summary>The largest <see cref="PartSize"/>, 1 GiB (S3 allows 5 GiB; each part is buffered in memory).</summary>
    public const long MaximumPartSize = 1L << 30;

    /// <summary>The bucket name. Required.</summary>
    public string Bucket { get; set; } = "";

    /// <summary>A key prefix inside the bucket for every file. Default: none.</summary>
    public string? Prefix { get; set; }

    /// <summary>The AWS region. Default: the SDK's resolution (environment, profile); <c>us-east-1</c> with <see cref="ServiceUrl"/>.</summary>
    public string? Region { get; set; }

    /// <summary>The access key id; null to use the SDK's default credential chain.</summary>
    public string? AccessKeyId { get; set; }

    /// <summary>The secret access key (secret).</summary>
    public string? SecretAccessKey { get; set; }

    /// <summary>A session token for temporary credentials (secret). Default: none.</summary>
    public string? SessionToken { get; set; }

    /// <summary>The endpoint of an S3-compatible store. Default: AWS.</summary>
    public Uri? ServiceUrl { get; set; }

    /// <summary>Whether to use path-style addressing. Default false.</summary>
    public bool ForcePathStyle { get; set; }

    /// <summary>The multipart part size in bytes. Default <see cref="DefaultPartSize"/>; at least <see cref="MinimumPartSize"/>.</summary>
    public long PartSize { get; set; } = DefaultPartSize;

    /// <summary>Retries of one request after a transient failure. Default 3.</summary>
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>The first retry delay (exponential backoff with jitter). Default 1 s.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The time one attempt of one request may take. Default 100 s.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>The auth scheme these options use: <see cref="AmazonS3Settings.AccessKeyScheme"/> or <see cref="AmazonS3Settings.DefaultCredentialsScheme"/>.</summary>
    public string AuthScheme => AccessKeyId is null ? AmazonS3Settings.DefaultCredentialsScheme : AmazonS3Settings.AccessKeyScheme;

    /// <summary>Reads the options from a definition's settings, gathering every problem.</summary>
    /// <param name="definition">The destination definition.</param>
    /// <param name="problems">Every problem found, naming the destination and the setting.</param>
    /// <returns>The options (partly filled when there are problems).</returns>
    public static AmazonS3DestinationOptions Read(DestinationDefinition definition, out IReadOnlyList<string> problems)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var reader = new DestinationSettingsReader(definition);
        reader.RejectUnknown(AmazonS3DestinationProvider.SettingDescriptors);
        var options = new AmazonS3DestinationOptions
        {
            Bucket = reader.GetRequiredString(AmazonS3Settings.Bucket, "the bucket name") ?? "",
            Prefix = reader.GetString(AmazonS3Settings.Prefix)?.Trim('/'),
            Region = reader.GetString(AmazonS3Settings.Region),
            AccessKeyId = reader.GetString(AmazonS3Settings.AccessKeyId),
            SecretAccessKey = reader.GetString(AmazonS3Settings.SecretAccessKey),
            SessionToken = reader.GetString(AmazonS3Settings.SessionToken),
            ForcePathStyle = reader.GetBoolean(AmazonS3Settings.ForcePathStyle, false),
            PartSize = reader.GetSize(AmazonS3Settings.PartSize, DefaultPartSize, MinimumPartSize, MaximumPartSize),
            MaxRetryAttempts = reader.GetInt32(AmazonS3Settings.MaxRetryAttempts, 3, 0, 20),
            RetryDelay = reader.GetTimeSpan(AmazonS3Settings.RetryDelay, TimeSpan.FromSeconds(1), TimeSpan.Zero, TimeSpan.FromMinutes(5)),
            RequestTimeout = reader.GetTimeSpan(AmazonS3Settings.RequestTimeout, TimeSpan.FromSeconds(100), TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1)),
        };

        // Loose on purpose: S3-compatible stores differ (Google Cloud Storage allows '_' and longer names).
        if (options.Bucket.Length > 0 && (options.Bucket.Length is < 3 or > 255 || options.Bucket.Any(c => c == '/' || char.IsWhiteSpace(c) || char.IsControl(c))))
        {
            reader.AddProblem($"setting '{AmazonS3Settings.Bucket}' must be a bucket name (3-255 characters, no '/' or spaces), not '{options.Bucket}'.");
        }

        if (options.Prefix is { Length: > 0 } prefix && DestinationPath.Check(prefix) is { } prefixProblem)
        {
            reader.AddProblem($"setting '{AmazonS3Settings.Prefix}' '{prefix}' is not allowed: {prefixProblem}.");
        }

        if ((options.AccessKeyId is null) != (options.SecretAccessKey is null))
        {
            reader.AddProblem($"settings '{AmazonS3Settings.AccessKeyId}' and '{AmazonS3Settings.SecretAccessKey}' go together: set both, or neither to use the default credential chain.");
        }

        if (options.SessionToken is not null && options.AccessKeyId is null)
        {
            reader.AddProblem($"setting '{AmazonS3Settings.SessionToken}' needs '{AmazonS3Settings.AccessKeyId}' and '{AmazonS3Settings.SecretAccessKey}'.");
        }

        if (reader.GetString(AmazonS3Settings.ServiceUrl) is { } url)
        {
            if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) && string.IsNullOrEmpty(uri.UserInfo))
            {
                options.ServiceUrl = uri;
            }
            else
            {
                reader.AddProblem($"setting '{AmazonS3Settings.ServiceUrl}' must be an absolute http(s) URL without user information.");
            }
        }

        problems = reader.Problems;
        return options;
    }

    /// <summary>Writes these options into a settings dictionary (the inverse of <see cref="Read"/>).</summary>
    /// <param name="settings">The settings, e.g. <see cref="DestinationDefinition.Settings"/>.</param>
    public void WriteTo(IDictionary<string, string?> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var c = CultureInfo.InvariantCulture;
        settings[AmazonS3Settings.Bucket] = Bucket;
        Set(settings, AmazonS3Settings.Prefix, Prefix);
        Set(settings, AmazonS3Settings.Region, Region);
        Set(settings, AmazonS3Settings.AccessKeyId, AccessKeyId);
        Set(settings, AmazonS3Settings.SecretAccessKey, SecretAccessKey);
        Set(settings, AmazonS3Settings.SessionToken, SessionToken);
        Set(settings, AmazonS3Settings.ServiceUrl, ServiceUrl?.ToString());
        settings[AmazonS3Settings.ForcePathStyle] = ForcePathStyle ? "true" : "false";
        settings[AmazonS3Settings.PartSize] = PartSize.ToString(c);
        settings[AmazonS3Settings.MaxRetryAttempts] = MaxRetryAttempts.ToString(c);
        settings[AmazonS3Settings.RetryDelay] = RetryDelay.ToString("c", c);
        settings[AmazonS3Settings.RequestTimeout] = RequestTimeout.ToString("c", c);
    }

    /// <summary>Describes the location and auth scheme; never the secret key or session token.</summary>
    /// <returns>A description without secrets.</returns>
    public override string ToString() =>
        $"s3://{Bucket}/{Prefix} ({AuthScheme}{(ServiceUrl is null ? "" : ", endpoint " + ServiceUrl)})";

    private static void Set(IDictionary<string, string?> settings, string key, string? value)
    {
        if (value is null)
        {
            settings.Remove(key);
        }
        else
        {
            settings[key] = value;
        }
    }
}
