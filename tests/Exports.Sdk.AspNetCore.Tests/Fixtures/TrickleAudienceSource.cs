using System.Runtime.CompilerServices;
using Exports.Sdk;
using Exports.Sdk.Testing;

namespace Exports.Sdk.AspNetCore.Tests;

/// <summary>
/// An audience so large, delivered so slowly (a pause after every batch), that a run of it only ends by being
/// cancelled: the runs tests can watch it run and stop it without racing its end.
/// </summary>
internal sealed class TrickleAudienceSource : IAudienceSource
{
    public const string Name = "trickle";
    public const string AudienceId = "endless";
    private readonly SyntheticAudienceSource _inner = new SyntheticAudienceSource().AddAudience(AudienceId, "Endless audience", 2_000_000_000);

    public IAsyncEnumerable<AudienceInfo> ListAudiencesAsync(CancellationToken cancellationToken = default) => _inner.ListAudiencesAsync(cancellationToken);

    public async IAsyncEnumerable<RowBatch> ReadMembersAsync(AudienceReadRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var batch in _inner.ReadMembersAsync(request, cancellationToken))
        {
            yield return batch;
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }
    }
}
