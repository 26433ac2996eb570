using Microsoft.Extensions.Options;

namespace Exports.Sdk;

/// <summary>Fills names and ids from dictionary keys, so configuration need not repeat them.</summary>
internal sealed class ExportsOptionsSetup : IPostConfigureOptions<ExportsOptions>
{
    public void PostConfigure(string? name, ExportsOptions options)
    {
        foreach (var (key, destination) in options.Destinations)
        {
            if (string.IsNullOrEmpty(destination.Name))
            {
                destination.Name = key;
            }
        }

        foreach (var (key, dataflow) in options.Dataflows)
        {
            if (string.IsNullOrEmpty(dataflow.Id))
            {
                dataflow.Id = key;
            }
        }

        foreach (var (key, export) in options.DatasetExports)
        {
            if (string.IsNullOrEmpty(export.Id))
            {
                export.Id = key;
            }
        }
    }
}
