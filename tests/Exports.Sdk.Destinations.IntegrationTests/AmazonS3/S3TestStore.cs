using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Exports.Sdk.Destinations.AmazonS3;
using Exports.Sdk.Destinations.IntegrationTests.Infrastructure;

namespace Exports.Sdk.Destinations.IntegrationTests.AmazonS3;

/// <summary>Raw access to the fauxqs S3 server (SDK defaults: CRC32 trailer checksums), and a bucket for this test run.</summary>
public static class S3TestStore
{
    private static readonly Lazy<Task<string>> SharedBucket = new(() => CreateBucketAsync(TestServices.Current.S3ServiceUrl));

    public static Task<string> BucketAsync() => SharedBucket.Value;

    public static AmazonS3Client Client(string serviceUrl) => new(new BasicAWSCredentials("test", "test"), new AmazonS3Config
    {
        ServiceURL = serviceUrl,
        ForcePathStyle = true,
        AuthenticationRegion = "us-east-1",
    });

    public static async Task<string> CreateBucketAsync(string serviceUrl)
    {
        var bucket = "exports-it-" + Guid.NewGuid().ToString("N")[..12];
        using var client = Client(serviceUrl);
        await client.PutBucketAsync(bucket);
        return bucket;
    }

    /// <summary>Destination options for the fauxqs server, with a small part size and fast retries.</summary>
    public static AmazonS3DestinationOptions Options(string bucket, string prefix, string? serviceUrl = null) => new()
    {
        Bucket = bucket,
        Prefix = prefix,
        ServiceUrl = new Uri(serviceUrl ?? TestServices.Current.S3ServiceUrl),
        ForcePathStyle = true,
        AccessKeyId = "test-access-key",
        SecretAccessKey = SecretAccessKey,
        PartSize = AmazonS3DestinationOptions.MinimumPartSize,
        MaxRetryAttempts = 2,
        RetryDelay = TimeSpan.FromMilliseconds(100),
        RequestTimeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>A recognisable secret, searched for in logs and messages.</summary>
    public const string SecretAccessKey = "S3-SECRET-never-logged-4f1d9c";

    public static async Task<byte[]?> ReadAsync(AmazonS3Client client, string bucket, string key)
    {
        try
        {
            using var response = await client.GetObjectAsync(bucket, key);
            using var copy = new MemoryStream();
            await response.ResponseStream.CopyToAsync(copy);
            return copy.ToArray();
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public static async Task<List<S3Object>> ListAsync(AmazonS3Client client, string bucket, string prefix)
    {
        var all = new List<S3Object>();
        string? token = null;
        do
        {
            var page = await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = prefix, ContinuationToken = token });
            all.AddRange(page.S3Objects ?? []);
            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (token is not null);
        return all;
    }
}
