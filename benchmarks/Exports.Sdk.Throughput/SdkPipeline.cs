using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Exports.Sdk.Throughput;

/// <summary>The SDK's whole pipeline through its public API: source → format → compression → local folder.</summary>
internal static class SdkPipeline
{
    public static async Task<long> RunAsync(IAudienceSource source, string audienceId, IReadOnlyList<string> attributes, string folder, string format, ExportCompression compression, int parallelism, long? maxBytesPerFile = null)
    {
        var services = new ServiceCollection();
        services.AddExports().UseInMemoryExportStore()
            .AddParquetFormat()
            .AddAudienceSource("source", source)
            .AddLocalFolderDestination("out", folder, d =>
            {
                d.Output.Format.Name = format;
                d.Output.Format.Compression = compression;
                d.Output.Format.MaxDegreeOfParallelism = parallelism;
                d.Output.MaxBytesPerFile = maxBytesPerFile;
                // The formatter goals compare formatting, and the anchors' files are not flushed to the disk either.
                d.Settings["flushToDisk"] = "false";
            })
            .AddDataflow("throughput", f =>
            {
                f.Source = "source";
                f.Destination = "out";
                f.Attributes = [.. attributes];
                f.Audiences = [new AudienceActivation { AudienceId = audienceId, FileNameTemplate = "%DESTINATION_NAME%_%SEGMENT_ID%_%TIMESTAMP%" }];
            });
        await using var provider = services.BuildServiceProvider();
        var dataflow = provider.GetRequiredService<IOptions<ExportsOptions>>().Value.GetDataflow("throughput");
        var result = await provider.GetRequiredService<IExportRunner>().RunAsync(dataflow, new ExportRunRequest());
        if (result.Status != ExportRunStatus.Succeeded)
        {
            throw new InvalidOperationException(string.Join("; ", result.Errors));
        }

        return result.Files.Sum(f => f.Size);
    }
}
