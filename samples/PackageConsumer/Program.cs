using Exports.Sdk;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

// Exports a small audience to the folder given as the first argument, using only the NuGet package.
var folder = args.Length > 0 ? args[0] : Path.Combine(Path.GetTempPath(), "exports-package-consumer");
var source = new InMemoryAudienceSource().AddAudience(new AudienceInfo("vip", "VIP"),
[
    new AudienceMember(new Dictionary<string, object?> { ["person.email"] = "ana@example.com", ["person.name.firstName"] = "Ana" }),
    new AudienceMember(new Dictionary<string, object?> { ["person.email"] = "bo@example.com", ["person.name.firstName"] = "Bo, Jr." }),
]);

var services = new ServiceCollection();
services.AddExports()
    .AddAudienceSource("crm", source)
    .AddLocalFolderDestination("drop", folder, d => d.Output.Format.Compression = ExportCompression.Gzip)
    .AddDataflow("newsletter", f =>
    {
        f.Source = "crm";
        f.Destination = "drop";
        f.Attributes = ["person.email", "person.name.firstName"];
        f.Audiences = [new AudienceActivation { AudienceId = "vip", FileNameTemplate = "%DESTINATION_NAME%_%SEGMENT_ID%" }];
    });

await using var provider = services.BuildServiceProvider();
var dataflow = provider.GetRequiredService<IOptions<ExportsOptions>>().Value.GetDataflow("newsletter");
var result = await provider.GetRequiredService<IExportRunner>().RunAsync(dataflow, new ExportRunRequest());
foreach (var file in result.Files)
{
    Console.WriteLine($"{file.Path} {file.Rows} {file.Sha256}");
}

Console.WriteLine(result.Status);
return result.Status == ExportRunStatus.Succeeded ? 0 : 1;
