using System.Diagnostics;
using Exports.QuickStart;
using Exports.Sdk;
using Exports.Sdk.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

// Reads appsettings.json (next to the program), environment variables and the command line, e.g.
//   dotnet run --project samples/Exports.QuickStart -- --QuickStart:AudienceSize=5000000
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
{
    Args = args,
    ContentRootPath = AppContext.BaseDirectory,
});
var quickStart = builder.Configuration.GetSection("QuickStart").Get<QuickStartOptions>() ?? new QuickStartOptions();

builder.Services.AddExports()
    .BindConfiguration(builder.Configuration.GetSection(ExportsOptions.SectionName))
    .AddAudienceSource("demo", new SyntheticAudienceSource().AddAudience(quickStart.AudienceId, "Demo audience", quickStart.AudienceSize));

using var host = builder.Build();
try
{
    // Starting the host validates every destination and dataflow and reports all problems at once.
    await host.StartAsync();
}
catch (OptionsValidationException ex)
{
    Console.Error.WriteLine("The configuration is invalid:");
    foreach (var failure in ex.Failures)
    {
        Console.Error.WriteLine($"  - {failure}");
    }

    return 2;
}

var options = host.Services.GetRequiredService<IOptions<ExportsOptions>>().Value;
var runner = host.Services.GetRequiredService<IExportRunner>();
var dataflow = options.GetDataflow(quickStart.Dataflow);
var destination = host.Services.GetRequiredService<IDestinationCatalog>().GetDefinition(dataflow.Destination);
var location = destination.Settings.GetValueOrDefault(LocalFolderDestinationProvider.PathSetting) ?? destination.Type;

Console.WriteLine($"Exporting {quickStart.AudienceSize:N0} profiles of '{quickStart.AudienceId}' with dataflow '{dataflow.Id}' " +
    $"to '{location}' as {destination.Format.Name}{(destination.Format.Compression == ExportCompression.Gzip ? ".gz" : "")}, " +
    $"{destination.MaxRowsPerFile:N0} rows per part.");

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

var clock = Stopwatch.StartNew();
ExportRunResult result;
try
{
    result = await runner.RunAsync(dataflow, new ExportRunRequest(), new ConsoleProgress(quickStart.AudienceSize), cancel.Token);
}
catch (OperationCanceledException)
{
    Console.Error.WriteLine("\nCancelled; nothing was left at the destination.");
    return 130;
}

clock.Stop();
Console.WriteLine();
Console.WriteLine($"Run {result.RunId}: {result.Status} in {clock.Elapsed.TotalSeconds:N1} s");
foreach (var audience in result.Entries)
{
    foreach (var file in audience.Files)
    {
        Console.WriteLine($"  {file.Path,-60} {file.Rows,10:N0} rows {file.Size / 1048576.0,8:N1} MB  sha256 {file.Sha256[..12]}…");
    }
}

if (result.ManifestPath is not null)
{
    Console.WriteLine($"  {result.ManifestPath}");
}

foreach (var error in result.Errors)
{
    Console.Error.WriteLine($"  error: {error}");
}

var rows = result.Entries.Sum(a => a.RowsExported);
var bytes = result.Entries.Sum(a => a.Bytes);
var seconds = Math.Max(clock.Elapsed.TotalSeconds, 0.001);
Console.WriteLine($"{rows:N0} rows, {bytes / 1048576.0:N1} MB, {rows / seconds:N0} rows/s, " +
    $"peak memory {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:N0} MB");

await host.StopAsync();
return result.Status == ExportRunStatus.Succeeded ? 0 : 1;
