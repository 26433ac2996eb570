namespace Exports.Sdk;

/// <summary>
/// The checks of a destination's definition, at start-up and when one is created or edited at run time: its type has
/// a provider, whose catalog entry validates the settings; the folder; the output.
/// </summary>
internal static class DestinationValidator
{
    public static IEnumerable<string> Validate(
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

        foreach (var problem in ExportOutputValidator.Validate(where, destination.Output, formats))
        {
            yield return problem;
        }
    }
}
