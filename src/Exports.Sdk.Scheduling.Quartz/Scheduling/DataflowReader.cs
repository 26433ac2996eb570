using Microsoft.Extensions.Options;

namespace Exports.Sdk.Scheduling.Quartz;

/// <summary>Reads the dataflows every host sees (declared and in the shared store), for evaluation signals.</summary>
internal sealed class DataflowReader(IExportStore store, IOptions<ExportsOptions> exports)
{
    public async Task<IReadOnlyList<DataflowDefinition>> ListAsync(CancellationToken cancellationToken)
    {
        var dataflows = exports.Value.Dataflows.Values.ToList();
        await foreach (var stored in store.ListDataflowsAsync(cancellationToken).ConfigureAwait(false))
        {
            dataflows.Add(stored.Definition);
        }

        return dataflows;
    }
}
