using Exports.Sdk.Destinations.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Exports.Sdk.Destinations.IntegrationTests.AmazonS3;

/// <summary>
/// Issue 16: a bucket the export's credentials may only write to (s3:PutObject and multipart, no List, Get or Delete)
/// passes the connection test, which names what it lacks, and receives exports.
/// </summary>
public sealed class AmazonS3WriteOnlyTests
{
    [Fact]
    public async Task AWriteOnlyBucketPolicy_PassesTheConnectionTestNamingWhatIsMissing_AndReceivesAnExport()
    {
        var bucket = await S3TestStore.BucketAsync();
        var prefix = "write-only-" + Guid.NewGuid().ToString("N");
        await using var policy = new WriteOnlyS3Proxy(TestServices.Current.S3ServiceUrl);
        await using var app = ExportHarness.Create(b => b.AddAmazonS3Destination(ExportHarness.DestinationName, s3 =>
        {
            var o = S3TestStore.Options(bucket, prefix, policy.Url);
            (s3.Bucket, s3.Prefix, s3.ServiceUrl, s3.ForcePathStyle, s3.AccessKeyId, s3.SecretAccessKey, s3.PartSize) = (o.Bucket, o.Prefix, o.ServiceUrl, true, o.AccessKeyId, o.SecretAccessKey, o.PartSize);
            s3.MaxRetryAttempts = 1;
        }, _ => { }), 200_000);

        var test = await app.Destination.TestConnectionAsync();
        var result = await app.RunAsync(new ExportRunRequest());

        test.Succeeded.Should().BeTrue(test.Message);
        test.MissingPermission.Should().Be("s3:DeleteObject, s3:ListBucket");
        test.Message.Should().Contain("Not granted");
        policy.Denied.Should().Contain(r => r.StartsWith("DELETE ", StringComparison.Ordinal)).And.Contain(r => r.StartsWith("GET ", StringComparison.Ordinal), "the policy did refuse them");
        result.Status.Should().Be(ExportRunStatus.Succeeded, string.Join("; ", result.Errors));
        using var raw = S3TestStore.Client(TestServices.Current.S3ServiceUrl);
        var manifest = await ExportVerifier.VerifyAsync(result, async path => (await raw.GetObjectAsync(bucket, prefix + "/" + path)).ResponseStream);
        manifest.ExportResults.Sum(f => f.Rows).Should().Be(200_000);
        (await S3TestStore.ListAsync(raw, bucket, prefix + "/")).Should().HaveCount(manifest.ExportResults.Count + 1, "the probe left nothing: the files and the manifest only");
    }
}
