using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Exports.Sdk;

/// <summary>Checks every destination, dataflow and dataset export and reports all problems together.</summary>
internal sealed class ExportsOptionsValidator(
    IEnumerable<IDestinationProvider> providers,
    IEnumerable<IExportFormat> formats,
    IServiceProvider services) : IValidateOptions<ExportsOptions>
{
    public ValidateOptionsResult Validate(string? name, ExportsOptions options)
    {
        var problems = new List<string>();
        foreach (var destination in options.Destinations.Values)
        {
            problems.AddRange(DestinationValidator.Validate(destination, providers, formats));
        }

        var isKeyed = services.GetService<IServiceProviderIsKeyedService>();
        foreach (var dataflow in options.Dataflows.Values)
        {
            problems.AddRange(ValidateDataflow(dataflow, options, isKeyed));
            if (dataflow.Output is { } output)
            {
                problems.AddRange(ExportOutputValidator.Validate($"Dataflow '{dataflow.Id}'", output, formats));
            }
        }

        foreach (var export in options.DatasetExports.Values)
        {
            problems.AddRange(DatasetExportValidator.Validate(
                export,
                isKeyed is null ? null : source => isKeyed.IsKeyedService(typeof(IDatasetSource), source),
                options.Destinations.ContainsKey));
            if (export.Output is { } output)
            {
                problems.AddRange(ExportOutputValidator.Validate($"Dataset export '{export.Id}'", output, formats));
            }

            if (options.Dataflows.ContainsKey(export.Id))
            {
                // Runs and watermarks are kept by export id: one id must name one export.
                problems.Add($"Dataset export '{export.Id}': a dataflow has the same id; ids are shared by dataflows and dataset exports.");
            }
        }

        if (options.Runs.MaxDeduplicationKeys < 1)
        {
            problems.Add($"Exports:Runs:MaxDeduplicationKeys is {options.Runs.MaxDeduplicationKeys}; it must be at least 1.");
        }

        if (options.Runs.IncrementalOverlap < TimeSpan.Zero)
        {
            problems.Add($"Exports:Runs:IncrementalOverlap is {options.Runs.IncrementalOverlap}; it must be zero or more.");
        }

        if (options.Runs.MaxConcurrentRuns < 1)
        {
            problems.Add($"Exports:Runs:MaxConcurrentRuns is {options.Runs.MaxConcurrentRuns}; it must be at least 1.");
        }

        if (options.Runs.ProgressInterval < TimeSpan.FromMilliseconds(100) || options.Runs.ProgressInterval > TimeSpan.FromSeconds(30))
        {
            // Above 30 s a live run could outlast its two-minute claim between two renewals under load.
            problems.Add($"Exports:Runs:ProgressInterval is {options.Runs.ProgressInterval}; it must be between 00:00:00.1 and 00:00:30.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static IEnumerable<string> ValidateDataflow(DataflowDefinition dataflow, ExportsOptions options, IServiceProviderIsKeyedService? isKeyed) =>
        DataflowValidator.Validate(
            dataflow,
            isKeyed is null ? null : source => isKeyed.IsKeyedService(typeof(IAudienceSource), source),
            options.Destinations.ContainsKey);
}
