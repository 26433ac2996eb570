using System.Globalization;

namespace Exports.Sdk.Throughput;

/// <summary>Generates the benchmark rows once: about 145 bytes of CSV per row, ~2 % of last names needing quotes.</summary>
internal static class ProfileData
{
    public static readonly string[] ColumnNames =
    [
        "profileId", "person.email", "person.name.firstName", "person.name.lastName", "homeAddress.countryCode",
        "person.birthDate", "loyalty.points", "loyalty.lifetimeValue", "person.lastSeen", AudienceColumns.MembershipStatus,
    ];

    public static readonly ExportColumnType[] ColumnTypes =
    [
        ExportColumnType.Guid, ExportColumnType.String, ExportColumnType.String, ExportColumnType.String, ExportColumnType.String,
        ExportColumnType.Date, ExportColumnType.Int32, ExportColumnType.Decimal, ExportColumnType.Timestamp, ExportColumnType.String,
    ];

    private static readonly string[] First = ["Olivia", "Liam", "Emma", "Noah", "Amelia", "Lucas", "Sofia", "Mateo", "Zoe", "Jurgen", "Chloe", "Hugo", "Ines", "Leo", "Ana", "Joao", "Bjorn", "Siobhan", "Yuki", "Ngozi"];
    private static readonly string[] Last = ["Smith", "Martin", "Garcia", "Muller", "Rossi", "Dubois", "Silva", "Kowalski", "Johansson", "Brien", "Nguyen", "Novak", "Haddad", "Tanaka", "Okafor", "Moreau", "Fernandez", "Schmidt", "Bernard", "Costa"];
    private static readonly string[] Quoted = ["Smith, Jr.", "O\"Neil", "Martin, \"Doc\"", "Lee,Kim"];
    private static readonly string[] Countries = ["US", "FR", "DE", "GB", "ES", "IT", "BR", "PT", "NL", "SE", "PL", "JP", "NG", "CA", "MX"];

    public static Profile[] Generate(int count)
    {
        var random = new Random(20261123);
        var epoch = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var profiles = new Profile[count];
        Span<byte> guid = stackalloc byte[16];
        for (var i = 0; i < count; i++)
        {
            random.NextBytes(guid);
            var first = First[random.Next(First.Length)];
            var last = random.Next(100) < 2 ? Quoted[random.Next(Quoted.Length)] : Last[random.Next(Last.Length)];
            profiles[i] = new Profile(
                new Guid(guid),
                string.Create(CultureInfo.InvariantCulture, $"{first.ToLowerInvariant()}.{last.Length}{i}@example.com"),
                first,
                last,
                Countries[random.Next(Countries.Length)],
                new DateOnly(1950, 1, 1).AddDays(random.Next(20_000)),
                random.Next(100_000),
                random.Next(10_000_000) / 100m,
                epoch.AddMilliseconds(-random.NextInt64(365L * 86_400_000)),
                random.Next(10) == 0 ? AudienceColumns.Exited : AudienceColumns.Realized);
        }

        return profiles;
    }

    /// <summary>The same rows as the batches a source yields (typed, no boxing).</summary>
    public static List<RowBatch> ToBatches(Profile[] profiles, int batchSize = RowBatch.DefaultCapacity)
    {
        var schema = new ExportSchema(ColumnNames.Select((name, i) => new ExportColumn(name, ColumnTypes[i])));
        var batches = new List<RowBatch>();
        for (var offset = 0; offset < profiles.Length; offset += batchSize)
        {
            var batch = new RowBatch(schema, batchSize);
            foreach (var p in profiles.AsSpan(offset, Math.Min(batchSize, profiles.Length - offset)))
            {
                var row = batch.AddRow();
                batch.SetGuid(row, 0, p.ProfileId);
                batch.SetString(row, 1, p.Email);
                batch.SetString(row, 2, p.FirstName);
                batch.SetString(row, 3, p.LastName);
                batch.SetString(row, 4, p.CountryCode);
                batch.SetDate(row, 5, p.BirthDate);
                batch.SetInt32(row, 6, p.LoyaltyPoints);
                batch.SetDecimal(row, 7, p.LifetimeValue);
                batch.SetTimestamp(row, 8, p.LastSeenUtc);
                batch.SetString(row, 9, p.MembershipStatus);
            }

            batches.Add(batch);
        }

        return batches;
    }
}
