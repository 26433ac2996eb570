using System.Diagnostics;
using Amazon.S3;
using Exports.Sdk.Destinations.AmazonS3;
using Exports.Sdk.Destinations.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Exports.Sdk.Destinations.IntegrationTests.AmazonS3;

/// <summary>
/// Bad input against S3. fauxqs does not verify signatures, so wrong credentials cannot be shown here; the error
/// mapping of what it does produce (missing bucket, unknown upload, unreachable and hanging endpoints) is.
/// </summary>
public sealed class AmazonS3ErrorTests
{
    private static ExportHarness App(Action<AmazonS3DestinationOptions> change, long members = 1_000) =>
        ExportHarness.Create(b => b.AddAmazonS3Destination(ExportHarness.DestinationName, s3 =>
        {
            var o = S3TestStore.Options("placeholder", "errors");
            (s3.Prefix, s3.ServiceUrl, s3.ForcePathStyle, s3.AccessKeyId, s3.SecretAccessKey) = (o.Prefix, o.ServiceUrl, true, o.AccessKeyId, o.SecretAccessKey);
            // A short attempt timeout only where the endpoint never answers: a busy machine can take longer against fauxqs.
            (s3.MaxRetryAttempts, s3.RetryDelay, s3.RequestTimeout, s3.PartSize) = (1, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(30), o.PartSize);
            change(s3);
        }), members);

    [Fact]
    public async Task MissingBucket_FailsRunAndConnectionTest_NamingDestinationAndBucket()
    {
        await using var app = App(s3 => s3.Bucket = "no-such-bucket-" + Guid.NewGuid().ToString("N")[..8]);

        var result = await app.RunAsync(new ExportRunRequest());
        var test = await app.Destination.TestConnectionAsync();

        result.Status.Should().Be(ExportRunStatus.Failed);
        result.Errors.Should().ContainSingle().Which.Should().Contain("Destination 'target'").And.Contain("bucket 'no-such-bucket-").And.Contain("does not exist");
        test.Succeeded.Should().BeFalse();
        test.Message.Should().Contain("does not exist");
        Secrets.ShouldNotAppearIn([S3TestStore.SecretAccessKey], app.Logs.AllText, string.Join(" ", result.Errors), test.Message);
    }

    [Fact]
    public async Task UnreachableEndpoint_FailsWithinTheTimeout_NamingTheProblem()
    {
        await using var app = App(s3 =>
        {
            s3.Bucket = "any-bucket";
            s3.RequestTimeout = TimeSpan.FromSeconds(1);
            s3.ServiceUrl = new Uri($"http://127.0.0.1:{BlackHoleServer.ClosedPort()}");
        });

        var watch = Stopwatch.StartNew();
        var test = await app.Destination.TestConnectionAsync();

        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30), "far below the client's own 100 s timeout");
        test.Succeeded.Should().BeFalse();
        test.Message.Should().Contain("Destination 'target'").And.Contain("cannot reach the S3 endpoint");
        app.Logs.Lines.Should().Contain(l => l.EventId.Id == 2000, "the retry is logged");
        Secrets.ShouldNotAppearIn([S3TestStore.SecretAccessKey], app.Logs.AllText, test.Message);
    }

    [Fact]
    public async Task HangingEndpoint_TimesOutPerAttempt_AndFailsWithinTheConfiguredTime()
    {
        using var hole = new BlackHoleServer();
        await using var app = App(s3 =>
        {
            s3.Bucket = "any-bucket";
            s3.RequestTimeout = TimeSpan.FromSeconds(1);
            s3.ServiceUrl = new Uri($"http://127.0.0.1:{hole.Port}");
        });

        var watch = Stopwatch.StartNew();
        var result = await app.RunAsync(new ExportRunRequest());

        // 2 attempts of 1 s plus a 0.1 s (jittered) delay: far below the client's own 100 s timeout, generous for a busy
        // machine's first request.
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30));
        result.Status.Should().Be(ExportRunStatus.Failed);
        result.Errors.Should().ContainSingle().Which.Should().Contain("Destination 'target'").And.Match(e => e.Contains("timed out", StringComparison.Ordinal));
        Secrets.ShouldNotAppearIn([S3TestStore.SecretAccessKey], app.Logs.AllText, string.Join(" ", result.Errors));
    }

    [Fact]
    public async Task CompletingAnAbortedUpload_IsMappedToNoSuchUpload_AndAbortReallyAborts()
    {
        var bucket = await S3TestStore.BucketAsync();
        await using var app = App(s3 => s3.Bucket = bucket);
        var writer = (AmazonS3MultipartWriter)await app.Destination.OpenWriteAsync("aborted.bin");
        await writer.Stream.WriteAsync(new byte[(6 << 20) + 1]);
        var uploadId = writer.UploadId;
        await writer.DisposeAsync();

        uploadId.Should().NotBeNull("a part went out, so a multipart upload was started");
        using var raw = S3TestStore.Client(TestServices.Current.S3ServiceUrl);
        var complete = () => raw.CompleteMultipartUploadAsync(new Amazon.S3.Model.CompleteMultipartUploadRequest
        {
            BucketName = bucket,
            Key = "errors/aborted.bin",
            UploadId = uploadId,
            PartETags = [new Amazon.S3.Model.PartETag(1, "\"x\"")],
        });
        var error = (await complete.Should().ThrowAsync<AmazonS3Exception>()).Which;
        error.ErrorCode.Should().Be("NoSuchUpload");

        var mapped = AmazonS3ErrorMapper.Map(error, "target", bucket, AmazonS3Operation.CompleteMultipartUpload, "errors/aborted.bin", CancellationToken.None);
        mapped!.Message.Should().Be("Destination 'target': the multipart upload of 'errors/aborted.bin' in bucket '" + bucket + "' no longer exists (it was aborted or expired).");
        mapped.IsTransient.Should().BeFalse();
    }

    [Fact]
    public async Task Upload_UsesTheSdkDefaultChecksums_OnACustomEndpoint()
    {
        var bucket = await S3TestStore.BucketAsync();
        await using var app = App(s3 => s3.Bucket = bucket);
        var data = new byte[(11 << 20) + 5];
        Random.Shared.NextBytes(data);

        var writer = await app.Destination.OpenWriteAsync("checksummed.bin");
        await writer.Stream.WriteAsync(data);
        await writer.CommitAsync();
        await writer.DisposeAsync();

        using var raw = S3TestStore.Client(TestServices.Current.S3ServiceUrl);
        using var response = await raw.GetObjectAsync(new Amazon.S3.Model.GetObjectRequest { BucketName = bucket, Key = "errors/checksummed.bin", ChecksumMode = ChecksumMode.ENABLED });
        using var copy = new MemoryStream();
        await response.ResponseStream.CopyToAsync(copy);
        copy.ToArray().Should().Equal(data);
        response.ETag.Should().EndWith("-3\"", "three parts were uploaded");
    }
}
