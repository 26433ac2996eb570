namespace Exports.Sdk;

/// <summary>A profile's membership status in an audience.</summary>
public enum MembershipStatus
{
    /// <summary>The profile is in the audience (exported as <c>realized</c>).</summary>
    Realized,

    /// <summary>The profile left the audience (exported as <c>exited</c>).</summary>
    Exited,
}
