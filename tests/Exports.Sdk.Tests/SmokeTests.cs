using Exports.Sdk.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Exports.Sdk.Tests;

public class SmokeTests
{
    [Fact]
    public async Task RunAsync_SyntheticAudience_WritesPartsAndManifest()
    {
        var root = Directory.CreateTempSubdirectory("exports-smoke-").FullName;
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddExports().UseInMemoryExportStore()
            .AddAudienceSource("demo", new SyntheticAudienceSource().AddAudience("seg-1", "Demo", 25_000))
            .AddLocalFolderDestination("local", root, d => { d.Output.MaxRowsPerFile = 10_000; d.Output.Format.Compression = ExportCompression.Gzip; })
            .AddDataflow("flow", f =>
            {
                f.Source = "demo";
                f.Destination = "local";
                f.Attributes = [.. SyntheticAudienceSource.AttributeNames];
                f.Audiences = [new AudienceActivation { AudienceId = "seg-1" }];
            });
        await using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<ExportsOptions>>().Value;
        var runner = provider.GetRequiredService<IExportRunner>();

        var result = await runner.RunAsync(options.GetDataflow("flow"), new ExportRunRequest());

        result.Status.Should().Be(ExportRunStatus.Succeeded, string.Join("; ", result.Errors));
        result.Entries[0].Files.Should().HaveCount(3);
        Directory.GetFiles(root).Should().HaveCount(4);
    }
}
