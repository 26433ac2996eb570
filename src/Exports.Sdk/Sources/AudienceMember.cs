namespace Exports.Sdk;

/// <summary>A member of an in-memory audience.</summary>
/// <param name="Attributes">Attribute values by path (e.g. <c>person.name.firstName</c>); a missing path reads as null.</param>
/// <param name="Status">The membership status. Default <see cref="MembershipStatus.Realized"/>.</param>
/// <param name="StatusTime">When the status last changed. Default: the Unix epoch.</param>
public sealed record AudienceMember(IReadOnlyDictionary<string, object?> Attributes, MembershipStatus Status = MembershipStatus.Realized, DateTimeOffset StatusTime = default)
{
    /// <summary>When the member's attributes last changed, if after <see cref="StatusTime"/>; incremental reads include the member from then on.</summary>
    public DateTimeOffset? AttributesChangedAt { get; init; }

    /// <summary>The last change of membership or attributes.</summary>
    public DateTimeOffset ChangedAt => AttributesChangedAt is { } changed && changed > StatusTime ? changed : StatusTime;
}
