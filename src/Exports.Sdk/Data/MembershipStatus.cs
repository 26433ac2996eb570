namespace Exports.Sdk;

/// <summary>A profile's membership status in an audience.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<MembershipStatus>))]
public enum MembershipStatus
{
    /// <summary>The profile is in the audience (exported as <c>realized</c>).</summary>
    Realized,

    /// <summary>The profile left the audience (exported as <c>exited</c>).</summary>
    Exited,
}
