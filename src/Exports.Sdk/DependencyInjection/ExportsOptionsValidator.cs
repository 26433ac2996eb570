using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Exports.Sdk;

/// <summary>Checks every destination and dataflow and reports all problems together.</summary>
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
            problems.AddRange(ValidateDestination(destination, providers, formats));
        }

        var isKeyed = services.GetService<IServiceProviderIsKeyedService>();
        foreach (var dataflow in options.Dataflows.Values)
        {
            problems.AddRange(ValidateDataflow(dataflow, options, isKeyed));
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    internal static IEnumerable<string> ValidateDestination(
        DestinationDefinition destination, IEnumerable<IDestinationProvider> providers, IEnumerable<IExportFormat> formats)
    {
        var where = $"Destination '{destination.Name}'";
        var provider = providers.FirstOrDefault(p => string.Equals(p.Descriptor.Type, destination.Type, StringComparison.OrdinalIgnoreCase));
        if (provider is null)
        {
            yield return $"{where}: Type '{destination.Type}' has no registered provider; registered: {string.Join(", ", providers.Select(p => p.Descriptor.Type))}.";
        }
        else
        {
            foreach (var problem in provider.Validate(destination))
            {
                yield return problem;
            }
        }

        if (!string.IsNullOrEmpty(destination.FolderPath) && DestinationPath.Check(destination.FolderPath.TrimEnd('/')) is { } pathProblem)
        {
            yield return $"{where}: FolderPath '{destination.FolderPath}' is not allowed: {pathProblem}.";
        }

        var format = formats.FirstOrDefault(f => string.Equals(f.Name, destination.Format.Name, StringComparison.OrdinalIgnoreCase));
        if (format is null)
        {
            yield return $"{where}: Format.Name '{destination.Format.Name}' is not a registered format; registered: {string.Join(", ", formats.Select(f => f.Name))}.";
        }
        else
        {
            foreach (var problem in format.Validate(destination.Format))
            {
                yield return $"{where}: {problem}";
            }

            if (destination.Format.Compression != ExportCompression.None && !format.SupportsCompression)
            {
                yield return $"{where}: Format.Compression '{destination.Format.Compression}' does not apply to '{format.Name}', which compresses internally; set it to None.";
            }
        }

        if (!Enum.IsDefined(destination.Format.Compression))
        {
            yield return $"{where}: Format.Compression '{destination.Format.Compression}' is not supported; use None or Gzip.";
        }

        if (destination.MaxRowsPerFile < 1)
        {
            yield return $"{where}: MaxRowsPerFile must be at least 1, not {destination.MaxRowsPerFile}.";
        }

        if (destination.MaxBytesPerFile is < 4096)
        {
            yield return $"{where}: MaxBytesPerFile must be at least 4096, not {destination.MaxBytesPerFile}.";
        }
    }

    private static IEnumerable<string> ValidateDataflow(DataflowDefinition dataflow, ExportsOptions options, IServiceProviderIsKeyedService? isKeyed) =>
        DataflowValidator.Validate(
            dataflow,
            isKeyed is null ? null : source => isKeyed.IsKeyedService(typeof(IAudienceSource), source),
            options.Destinations.ContainsKey);
}
