namespace Exports.Sdk;

/// <summary>
/// Lists audiences and streams their members. Implement it over your profile store (SQL, an API, files);
/// register it with <c>AddAudienceSource</c> and refer to it by name from a dataflow.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="ReadMembersAsync"/> yields batches whose schema holds a column for every requested attribute
/// (named as requested) plus the two <see cref="AudienceColumns"/>. The consumer reads each batch before asking
/// for the next, so a source may reuse one batch. A source may yield an empty batch to describe the schema
/// of an audience with no members.
/// </para>
/// <para>Throw to fail the audience's export; the export cleans up what it wrote. Honour the token.</para>
/// </remarks>
public interface IAudienceSource
{
    /// <summary>Lists the audiences this source knows.</summary>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The audiences.</returns>
    IAsyncEnumerable<AudienceInfo> ListAudiencesAsync(CancellationToken cancellationToken = default);

    /// <summary>Streams the members of an audience with the requested attributes.</summary>
    /// <param name="request">The audience, attributes and incremental window.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>Batches of member rows.</returns>
    IAsyncEnumerable<RowBatch> ReadMembersAsync(AudienceReadRequest request, CancellationToken cancellationToken = default);
}
