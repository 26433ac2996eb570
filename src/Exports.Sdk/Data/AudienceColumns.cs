namespace Exports.Sdk;

/// <summary>Names of the columns every audience source returns besides the requested attributes.</summary>
public static class AudienceColumns
{
    /// <summary>
    /// The membership status column (<see cref="ExportColumnType.String"/>): <c>realized</c> or <c>exited</c>.
    /// </summary>
    public const string MembershipStatus = "segmentMembership.status";

    /// <summary>The time the membership status last changed (<see cref="ExportColumnType.Timestamp"/>).</summary>
    public const string MembershipStatusTime = "segmentMembership.lastQualificationTime";

    /// <summary>
    /// Optional (<see cref="ExportColumnType.Timestamp"/>): when the profile's membership or attributes last changed, on
    /// the source's own clock, the value <see cref="AudienceReadRequest.ChangedSince"/> is compared with. Incremental
    /// exports take their watermark from the newest value read; without this column, from
    /// <see cref="MembershipStatusTime"/>. It is not exported unless asked for.
    /// </summary>
    public const string ChangeTime = "exports.changeTime";

    /// <summary>The exported text of <see cref="Sdk.MembershipStatus.Realized"/>.</summary>
    public const string Realized = "realized";

    /// <summary>The exported text of <see cref="Sdk.MembershipStatus.Exited"/>.</summary>
    public const string Exited = "exited";

    /// <summary>The prefix of identity columns: <c>identityMap.&lt;namespace&gt;</c>.</summary>
    public const string IdentityPrefix = "identityMap.";

    /// <summary>The column name of an identity namespace, e.g. <c>identityMap.email</c>.</summary>
    /// <param name="identityNamespace">The namespace, e.g. <c>email</c> or <c>crmId</c>.</param>
    /// <returns>The column name.</returns>
    public static string Identity(string identityNamespace) => IdentityPrefix + identityNamespace;

    /// <summary>The exported text of a membership status.</summary>
    /// <param name="status">The status.</param>
    /// <returns><c>realized</c> or <c>exited</c>.</returns>
    public static string ToText(MembershipStatus status) => status == Sdk.MembershipStatus.Exited ? Exited : Realized;
}
