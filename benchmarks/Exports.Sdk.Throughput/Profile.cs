namespace Exports.Sdk.Throughput;

/// <summary>One generated profile row: the ten columns of the benchmark, as a user's own type would hold them.</summary>
[CsvHelper.CsvRecord]
internal sealed partial record Profile(
    Guid ProfileId,
    string Email,
    string FirstName,
    string LastName,
    string CountryCode,
    DateOnly BirthDate,
    int LoyaltyPoints,
    decimal LifetimeValue,
    DateTime LastSeenUtc,
    string MembershipStatus);
