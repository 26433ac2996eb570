using CustomDestination.ChunkStore;
using Exports.Sdk;
using Exports.Sdk.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

// A custom destination registers through the same public path as the built-in ones.
var root = Path.GetFullPath(args.Length > 0 ? args[0] : "chunk-store");
var services = new ServiceCollection();
services.AddExports()
    .AddDestinationProvider<ChunkStoreProvider>()
    .AddDestination("chunks", "chunk-store", d => d.Settings["root"] = root)
    .AddAudienceSource("demo", new SyntheticAudienceSource().AddAudience("demo-audience", "Demo audience", 100_000))
    .AddDataflow("demo", f =>
    {
        f.Source = "demo";
        f.Destination = "chunks";
        f.Attributes = ["person.email", "person.name.firstName"];
        f.Audiences = [new AudienceActivation { AudienceId = "demo-audience" }];
    });

await using var provider = services.BuildServiceProvider();
var dataflow = provider.GetRequiredService<IOptions<ExportsOptions>>().Value.GetDataflow("demo");
var result = await provider.GetRequiredService<IExportRunner>().RunAsync(dataflow, new ExportRunRequest());
Console.WriteLine($"{result.Status}: {result.RowsExported:N0} rows in {result.Files.Count()} file(s) under {root}; manifest {result.ManifestPath}");
return result.Status == ExportRunStatus.Succeeded ? 0 : 1;
