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
HostApplicationBuilder builder;
QuickStartOptions quickStart;
try
{
    builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
    {
        Args = args,
        ContentRootPath = AppContext.BaseDirectory,
    });
    quickStart = builder.Configuration.GetSection("QuickStart").Get<QuickStartOptions>() ?? new QuickStartOptions();
}
catch (Exception ex) when (ex is InvalidDataException or InvalidOperationException or FormatException)
{
    // A malformed appsettings.json, or a value that is not a number where one is needed.
    return Fail($"The configuration could not be read: {Describe(ex)}");
}

if (quickStart.AudienceSize < 0)
{
    return Fail($"QuickStart:AudienceSize is {quickStart.AudienceSize}; it must be 0 or more.");
}

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
if (!options.Dataflows.TryGetValue(quickStart.Dataflow, out var dataflow))
{
    return Fail($"QuickStart:Dataflow is '{quickStart.Dataflow}', which is not a configured dataflow; known: {string.Join(", ", options.Dataflows.Keys)}.");
}

var destination = host.Services.GetRequiredService<IDestinationCatalog>().GetDefinition(dataflow.Destination);
var location = destination.Settings.GetValueOrDefault("path") ?? destination.Type;

Console.WriteLine($"Exporting {quickStart.AudienceSize:N0} profiles of '{quickStart.AudienceId}' with dataflow '{dataflow.Id}' " +
    $"to '{location}' as {destination.Output.Format.Name}{(destination.Output.Format.Compression == ExportCompression.Gzip ? ".gz" : "")}, " +
    $"{destination.Output.MaxRowsPerFile:N0} rows per part.");

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
catch (ExportException ex)
{
    // Another run of the audience is still going, or the dataflow does not fit its source.
    return Fail(ex.Message);
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

var rows = result.RowsExported;
var bytes = result.Bytes;
var seconds = Math.Max(clock.Elapsed.TotalSeconds, 0.001);
Console.WriteLine($"{rows:N0} rows, {bytes / 1048576.0:N1} MB, {rows / seconds:N0} rows/s, " +
    $"peak memory {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:N0} MB");

await host.StopAsync();
return result.Status == ExportRunStatus.Succeeded ? 0 : 1;

static int Fail(string message)
{
    Console.Error.WriteLine(message);
    return 2;
}

// The configuration providers wrap the parser's error; the innermost message names the line and the character.
static string Describe(Exception exception)
{
    var messages = new List<string>();
    for (var e = exception; e is not null; e = e.InnerException)
    {
        messages.Add(e.Message);
    }

    return string.Join(" ", messages.Distinct());
}
