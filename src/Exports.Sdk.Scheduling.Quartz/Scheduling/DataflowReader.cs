using Microsoft.Extensions.Options;

namespace Exports.Sdk.Scheduling.Quartz;

/// <summary>Reads the dataflows every host sees: those declared in configuration and those in the shared store.</summary>
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

    public async Task<DataflowDefinition?> FindAsync(string id, CancellationToken cancellationToken) =>
        exports.Value.Dataflows.TryGetValue(id, out var configured)
            ? configured
            : (await store.GetDataflowAsync(id, cancellationToken).ConfigureAwait(false))?.Definition;
}
