using Exports.Sdk.Destinations.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Exports.Sdk.Destinations.IntegrationTests.AmazonS3;

public sealed class AmazonS3FaultTests
{
    [Fact]
    public async Task RunAsync_ServerKilledMidUpload_FailsWithoutPartialObject_AndRerunWritesTheFilesOnce()
    {
        await using var server = await PrivateServer.StartFauxqsAsync();
        var url = $"http://127.0.0.1:{server.Port}";
        var bucket = await S3TestStore.CreateBucketAsync(url);
        await using var app = ExportHarness.Create(b => b.AddAmazonS3Destination(ExportHarness.DestinationName, s3 =>
        {
            var o = S3TestStore.Options(bucket, "fault", url);
            (s3.Bucket, s3.Prefix, s3.ServiceUrl, s3.ForcePathStyle, s3.AccessKeyId, s3.SecretAccessKey) = (o.Bucket, o.Prefix, o.ServiceUrl, true, o.AccessKeyId, o.SecretAccessKey);
            (s3.PartSize, s3.MaxRetryAttempts, s3.RetryDelay, s3.RequestTimeout) = (o.PartSize, 2, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(5));
        }, FaultExport.Configure), FaultExport.Members);
        var killer = new KillWhenWritten(server, FaultExport.KillAfterBytes);

        var failed = await app.RunAsync(FaultExport.Request, killer);

        killer.Killed.Should().BeTrue();
        FaultExport.ShouldHaveFailedCleanly(failed, app.Logs, retryEventId: 2000, S3TestStore.SecretAccessKey);
        failed.Errors[0].Should().Contain("cannot reach the S3 endpoint");

        await server.RestartAsync();
        using var raw = S3TestStore.Client(url);
        try
        {
            await raw.PutBucketAsync(bucket);
        }
        catch (Amazon.S3.AmazonS3Exception ex) when (ex.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists")
        {
        }

        (await S3TestStore.ListAsync(raw, bucket, "")).Should().BeEmpty("no partial object is visible after the failed run");

        var rerun = await app.RunAsync(FaultExport.Request);

        var manifest = await ExportVerifier.VerifyAsync(rerun, async path => (await raw.GetObjectAsync(bucket, "fault/" + path)).ResponseStream);
        manifest.ExportResults.Sum(f => f.Rows).Should().Be(FaultExport.Members);
        (await S3TestStore.ListAsync(raw, bucket, "")).Select(o => o.Key).Order(StringComparer.Ordinal)
            .Should().Equal(manifest.ExportResults.Select(f => "fault/" + f.SinkPath).Append("fault/" + rerun.ManifestPath).Order(StringComparer.Ordinal), "each file exists once");
    }

    [Fact]
    public async Task RunAsync_ServerUnreachableMidUpload_RecordsTheUploadItCouldNotAbort_AndTheNextRunAbortsIt()
    {
        await using var server = await PrivateServer.StartFauxqsAsync();
        // Through a relay that can be cut: fauxqs keeps open uploads in memory only, so it must stay up.
        await using var proxy = new SeveringProxy(server.Port);
        var url = $"http://127.0.0.1:{server.Port}";
        var bucket = await S3TestStore.CreateBucketAsync(url);
        await using var app = ExportHarness.Create(b => b.AddAmazonS3Destination(ExportHarness.DestinationName, s3 =>
        {
            var o = S3TestStore.Options(bucket, "uploads", $"http://127.0.0.1:{proxy.Port}");
            (s3.Bucket, s3.Prefix, s3.ServiceUrl, s3.ForcePathStyle, s3.AccessKeyId, s3.SecretAccessKey) = (o.Bucket, o.Prefix, o.ServiceUrl, true, o.AccessKeyId, o.SecretAccessKey);
            (s3.PartSize, s3.MaxRetryAttempts, s3.RetryDelay, s3.RequestTimeout) = (o.PartSize, 1, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(3));
        }, FaultExport.Configure), FaultExport.Members);

        var failed = await app.RunAsync(FaultExport.Request, proxy.SeverAfter(FaultExport.KillAfterBytes));

        failed.Status.Should().Be(ExportRunStatus.Failed);
        var record = await app.Store.GetRunAsync("flow", failed.RunId);
        var upload = record!.LeftoverWrites.Should().ContainSingle("the abort could not reach the server").Subject;
        using var raw = S3TestStore.Client(url);
        var key = "uploads/" + upload.Path;
        (await UploadExistsAsync(raw, bucket, key, upload.Token)).Should().BeTrue("the upload is still open on the server");

        proxy.Restore();
        var rerun = await app.RunAsync(FaultExport.Request with { RunId = "fault-run-0002" });

        rerun.Status.Should().Be(ExportRunStatus.Succeeded, string.Join("; ", rerun.Errors));
        (await UploadExistsAsync(raw, bucket, key, upload.Token)).Should().BeFalse("the next run aborted the upload the failed one left");
        (await app.Store.GetRunAsync("flow", failed.RunId))!.LeftoverWrites.Should().BeEmpty();
    }

    /// <summary>Whether a multipart upload is open (fauxqs has no ListMultipartUploads: a part is sent to it).</summary>
    private static async Task<bool> UploadExistsAsync(Amazon.S3.AmazonS3Client client, string bucket, string key, string uploadId)
    {
        try
        {
            await client.UploadPartAsync(new Amazon.S3.Model.UploadPartRequest
            {
                BucketName = bucket,
                Key = key,
                UploadId = uploadId,
                PartNumber = 9_999,
                InputStream = new MemoryStream([1, 2, 3]),
            });
            return true;
        }
        catch (Amazon.S3.AmazonS3Exception ex) when (ex.ErrorCode == "NoSuchUpload")
        {
            return false;
        }
    }
}
