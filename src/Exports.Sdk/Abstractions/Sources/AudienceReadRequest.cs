namespace Exports.Sdk;

/// <summary>What the export asks an <see cref="IAudienceSource"/> for.</summary>
public sealed class AudienceReadRequest
{
    /// <summary>Creates a request.</summary>
    /// <param name="audienceId">The audience whose members to read.</param>
    /// <param name="attributes">The attribute paths to return, in order (e.g. <c>person.name.firstName</c>).</param>
    public AudienceReadRequest(string audienceId, IReadOnlyList<string> attributes)
    {
        ArgumentException.ThrowIfNullOrEmpty(audienceId);
        ArgumentNullException.ThrowIfNull(attributes);
        AudienceId = audienceId;
        Attributes = attributes;
    }

    /// <summary>The audience whose members to read.</summary>
    public string AudienceId { get; }

    /// <summary>
    /// The attribute paths (and identity namespaces) to return as columns, named exactly as requested.
    /// The source also returns <see cref="AudienceColumns.MembershipStatus"/> and
    /// <see cref="AudienceColumns.MembershipStatusTime"/>.
    /// </summary>
    public IReadOnlyList<string> Attributes { get; }

    /// <summary>
    /// When set, only profiles whose membership or attributes changed at or after this instant (incremental
    /// export), exited members included. When null, all current (realized) members.
    /// </summary>
    public DateTimeOffset? ChangedSince { get; init; }

    /// <summary>
    /// Identity namespaces to return as columns named <c>identityMap.&lt;namespace&gt;</c> (see <see cref="AudienceColumns.Identity"/>).
    /// </summary>
    public IReadOnlyList<string> IdentityNamespaces { get; init; } = [];

    /// <summary>
    /// When true, rows must come newest first by <see cref="AudienceColumns.MembershipStatusTime"/>, so that deduplication
    /// keeps the most recently qualified profile. The export fails with a clear error when a source ignores it.
    /// </summary>
    public bool NewestFirst { get; init; }

    /// <summary>A hint for the number of rows per batch. Default <see cref="RowBatch.DefaultCapacity"/>.</summary>
    public int BatchSize { get; init; } = RowBatch.DefaultCapacity;
}
