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

    /// <summary>The exported text of <see cref="Sdk.MembershipStatus.Realized"/>.</summary>
    public const string Realized = "realized";

    /// <summary>The exported text of <see cref="Sdk.MembershipStatus.Exited"/>.</summary>
    public const string Exited = "exited";

    /// <summary>The exported text of a membership status.</summary>
    /// <param name="status">The status.</param>
    /// <returns><c>realized</c> or <c>exited</c>.</returns>
    public static string ToText(MembershipStatus status) => status == Sdk.MembershipStatus.Exited ? Exited : Realized;
}
