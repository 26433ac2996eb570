// Exports an audience of a given size (uncompressed CSV) to an S3 endpoint and reports the process's peak memory.
// Usage: dotnet run -c Release --project benchmarks/Exports.Sdk.MemoryCheck -- <serviceUrl> <bucket> [gigabytes=2] [partSizeMiB=8]
// The bucket is created when missing. See docs/destinations/amazon-s3.md ("Memory") for the measured figures.
using System.Diagnostics;
using System.Globalization;
using Amazon.Runtime;
using Amazon.S3;
using Exports.Sdk;
using Exports.Sdk.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

if (args.Length < 2)
{
    Console.Error.WriteLine("usage: <serviceUrl> <bucket> [gigabytes=2] [partSizeMiB=8]");
    return 2;
}

var serviceUrl = new Uri(args[0]);
var bucket = args[1];
var gigabytes = args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 2.0;
var partSize = (args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 8) << 20;
// The synthetic source writes about 164 bytes per CSV row (with the membership columns).
var members = (long)(gigabytes * 1e9 / 164);

using (var s3 = new AmazonS3Client(new BasicAWSCredentials("test", "test"), new AmazonS3Config { ServiceURL = serviceUrl.ToString(), ForcePathStyle = true, AuthenticationRegion = "us-east-1" }))
{
    try
    {
        await s3.PutBucketAsync(bucket);
    }
    catch (AmazonS3Exception ex) when (ex.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists")
    {
    }
}

var services = new ServiceCollection();
services.AddExports().UseInMemoryExportStore()
    .AddAudienceSource("synthetic", new SyntheticAudienceSource().AddAudience("big", "Big audience", members))
    .AddAmazonS3Destination("s3", o =>
    {
        (o.Bucket, o.Prefix, o.ServiceUrl, o.ForcePathStyle) = (bucket, "memory-check", serviceUrl, true);
        (o.AccessKeyId, o.SecretAccessKey, o.PartSize) = ("test", "test", partSize);
    }, d => (d.Output.MaxRowsPerFile, d.Output.WriteManifest) = (long.MaxValue, true))
    .AddDataflow("flow", f =>
    {
        f.Source = "synthetic";
        f.Destination = "s3";
        f.Attributes = [.. SyntheticAudienceSource.AttributeNames];
        f.IncludeMembershipStatus = true;
        f.Audiences = [new AudienceActivation { AudienceId = "big" }];
    });
await using var provider = services.BuildServiceProvider();
var runner = provider.GetRequiredService<IExportRunner>();
var dataflow = provider.GetRequiredService<IOptions<ExportsOptions>>().Value.GetDataflow("flow");

var watch = Stopwatch.StartNew();
var result = await runner.RunAsync(dataflow, new ExportRunRequest());
watch.Stop();

using var process = Process.GetCurrentProcess();
process.Refresh();
var bytes = result.Files.Sum(f => f.Size);
var gc = GC.GetGCMemoryInfo();
Console.WriteLine($"status: {result.Status} {string.Join("; ", result.Errors)}");
Console.WriteLine($"exported: {result.Files.Count()} file(s), {bytes / 1e9:0.000} GB, {result.Entries.Sum(a => a.RowsExported):N0} rows in {watch.Elapsed.TotalSeconds:0.0} s ({bytes / 1e6 / watch.Elapsed.TotalSeconds:0.0} MB/s)");
Console.WriteLine($"part size: {partSize >> 20} MiB");
Console.WriteLine($"peak working set: {process.PeakWorkingSet64 / 1048576.0:0.0} MiB; GC heap after run: {GC.GetTotalMemory(false) / 1048576.0:0.0} MiB; peak GC heap seen: {gc.HeapSizeBytes / 1048576.0:0.0} MiB; total allocated: {GC.GetTotalAllocatedBytes() / 1e9:0.0} GB");
return result.Status == ExportRunStatus.Succeeded ? 0 : 1;
