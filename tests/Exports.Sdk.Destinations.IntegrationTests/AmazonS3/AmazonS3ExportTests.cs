using System.Diagnostics;
using Exports.Sdk.Destinations.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Exports.Sdk.Destinations.IntegrationTests.AmazonS3;

public sealed class AmazonS3ExportTests(ITestOutputHelper output)
{
    [Fact]
    public async Task RunAsync_LargeGzipCsvExport_RoundTripsByteForByteWithManifestChecksums()
    {
        var bucket = await S3TestStore.BucketAsync();
        var prefix = "export-" + Guid.NewGuid().ToString("N");
        await using var app = ExportHarness.Create(b => b.AddAmazonS3Destination(ExportHarness.DestinationName, s3 =>
        {
            var options = S3TestStore.Options(bucket, prefix);
            s3.Bucket = options.Bucket;
            s3.Prefix = options.Prefix;
            s3.ServiceUrl = options.ServiceUrl;
            s3.ForcePathStyle = true;
            s3.AccessKeyId = options.AccessKeyId;
            s3.SecretAccessKey = options.SecretAccessKey;
            s3.PartSize = 8 << 20;
        }, LargeExport.Configure), LargeExport.Members);
        using var raw = S3TestStore.Client(Infrastructure.TestServices.Current.S3ServiceUrl);

        var watch = Stopwatch.StartNew();
        var result = await app.RunAsync(new ExportRunRequest { ScheduledTime = LargeExport.ScheduledTime });
        var exported = watch.Elapsed;
        var manifest = await ExportVerifier.VerifyAsync(result, async path => (await raw.GetObjectAsync(bucket, prefix + "/" + path)).ResponseStream);

        var bytes = manifest.ExportResults.Sum(f => f.Size);
        output.WriteLine($"S3: {manifest.ExportResults.Count} files, {bytes / 1e6:0.0} MB gzip, {manifest.ExportResults.Sum(f => f.Rows)} rows, exported in {exported.TotalSeconds:0.0} s ({bytes / 1e6 / exported.TotalSeconds:0.0} MB/s), verified in {(watch.Elapsed - exported).TotalSeconds:0.0} s");
        manifest.ExportResults.Should().HaveCountGreaterThan(1);
        manifest.ExportResults.Sum(f => f.Rows).Should().Be(LargeExport.Members);
        (await S3TestStore.ListAsync(raw, bucket, prefix + "/")).Select(o => o.Key[(prefix.Length + 1)..]).Order(StringComparer.Ordinal)
            .Should().Equal(manifest.ExportResults.Select(f => f.SinkPath).Append(result.ManifestPath!).Order(StringComparer.Ordinal));
    }
}
