using System.Runtime.CompilerServices;

namespace Exports.Sdk.Throughput;

/// <summary>A source over batches generated beforehand, so the harness times the export, not the data.</summary>
internal sealed class PreparedAudienceSource(string audienceId, IReadOnlyList<RowBatch> batches) : IAudienceSource
{
    public async IAsyncEnumerable<AudienceInfo> ListAudiencesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask;
        yield return new AudienceInfo(audienceId, "Benchmark");
    }

    public async IAsyncEnumerable<RowBatch> ReadMembersAsync(AudienceReadRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask;
        foreach (var batch in batches)
        {
            yield return batch;
        }
    }
}
