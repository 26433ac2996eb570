using System.Runtime.CompilerServices;

namespace Exports.Sdk.Testing;

/// <summary>
/// Generates realistic, deterministic profiles for audiences of any size: the same seed and audience always give the
/// same rows. Fills typed batches (one reused batch per read), so it costs little next to the export itself.
/// </summary>
/// <remarks>
/// Attributes it knows: <see cref="Attributes"/>; identity namespaces: <c>email</c> and <c>crmId</c>. About 2 % of last names hold a comma or a quote, so CSV quoting is
/// exercised. Every member is <c>realized</c>; status times fall in the 30 days before <see cref="Epoch"/>.
/// </remarks>
public sealed class SyntheticAudienceSource : IAudienceSource, IAudienceAttributeSource
{
    /// <summary>The time the generated data is relative to.</summary>
    public static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly string[] FirstNames =
        ["Olivia", "Liam", "Emma", "Noah", "Amélie", "Lucas", "Sofía", "Mateo", "Zoë", "Jürgen", "Chloé", "Hugo", "Inès", "Léo", "Ana", "João", "Björn", "Siobhán", "Yuki", "Ngozi"];

    private static readonly string[] LastNames =
        ["Smith", "Martin", "García", "Müller", "Rossi", "Dubois", "Silva", "Kowalski", "Johansson", "O'Brien", "Nguyen", "Novák", "Haddad", "Tanaka", "Okafor", "Moreau", "Fernández", "Schmidt", "Bernard", "Costa"];

    private static readonly string[] QuotedLastNames = ["Smith, Jr.", "O\"Neil", "Martin, \"Doc\"", "Lee,Kim"];

    private static readonly string[] Countries = ["US", "FR", "DE", "GB", "ES", "IT", "BR", "PT", "NL", "SE", "PL", "JP", "NG", "CA", "MX"];

    private readonly Dictionary<string, (AudienceInfo Info, long Count)> _audiences = new(StringComparer.Ordinal);

    /// <summary>The attributes the source can return, with their types.</summary>
    public static IReadOnlyList<ExportColumn> Attributes { get; } =
    [
        new("profileId", ExportColumnType.Guid),
        new("person.email", ExportColumnType.String),
        new("person.name.firstName", ExportColumnType.String),
        new("person.name.lastName", ExportColumnType.String),
        new("homeAddress.countryCode", ExportColumnType.String),
        new("person.birthDate", ExportColumnType.Date),
        new("loyalty.points", ExportColumnType.Int32),
        new("loyalty.lifetimeValue", ExportColumnType.Decimal),
        new("person.lastSeen", ExportColumnType.Timestamp),
    ];

    /// <summary>The attribute paths of <see cref="Attributes"/>.</summary>
    public static IReadOnlyList<string> AttributeNames { get; } = [.. Attributes.Select(a => a.Name)];

    /// <summary>Adds an audience of a given size.</summary>
    /// <param name="id">The audience id.</param>
    /// <param name="name">The audience name.</param>
    /// <param name="memberCount">How many members to generate.</param>
    /// <returns>This source.</returns>
    public SyntheticAudienceSource AddAudience(string id, string name, long memberCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(memberCount);
        _audiences[id] = (new AudienceInfo(id, name) { Size = memberCount }, memberCount);
        return this;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<AudienceInfo> ListAudiencesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var (info, _) in _audiences.Values)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return info;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <summary>Lists <see cref="Attributes"/>.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The attributes.</returns>
    public async IAsyncEnumerable<ExportColumn> ListAttributesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var attribute in Attributes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return attribute;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<RowBatch> ReadMembersAsync(AudienceReadRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!_audiences.TryGetValue(request.AudienceId, out var audience))
        {
            throw new ExportException($"The synthetic source has no audience '{request.AudienceId}'.");
        }

        if (request.NewestFirst)
        {
            throw new ExportException("The synthetic source cannot return members newest first (needed for deduplication).");
        }

        var kinds = new int[request.Attributes.Count + request.IdentityNamespaces.Count];
        var columns = new List<ExportColumn>();
        for (var i = request.Attributes.Count; i < kinds.Length; i++)
        {
            var ns = request.IdentityNamespaces[i - request.Attributes.Count];
            kinds[i] = ns switch
            {
                "email" => 1,
                "crmId" => 9,
                _ => throw new ExportException($"The synthetic source has no identity namespace '{ns}'; it has email and crmId."),
            };
        }

        for (var i = 0; i < request.Attributes.Count; i++)
        {
            var known = Attributes.Select((a, k) => (a, k)).FirstOrDefault(x => x.a.Name == request.Attributes[i]);
            if (known.a is null)
            {
                throw new ExportException($"The synthetic source has no attribute '{request.Attributes[i]}'; it has {string.Join(", ", AttributeNames)}.");
            }

            kinds[i] = known.k;
            columns.Add(known.a);
        }

        columns.AddRange(request.IdentityNamespaces.Select(ns => new ExportColumn(AudienceColumns.Identity(ns), ExportColumnType.String)));
        columns.Add(new ExportColumn(AudienceColumns.MembershipStatus, ExportColumnType.String));
        columns.Add(new ExportColumn(AudienceColumns.MembershipStatusTime, ExportColumnType.Timestamp));
        var batch = new RowBatch(new ExportSchema(columns), request.BatchSize);
        var statusColumn = kinds.Length;
        var seed = StableHash(request.AudienceId) & 0xFFFF;

        if (audience.Count == 0)
        {
            yield return batch;
            yield break;
        }

        for (long n = 0; n < audience.Count; n++)
        {
            var row = batch.AddRow();
            var h = Mix(((ulong)n << 16) ^ seed);
            for (var c = 0; c < kinds.Length; c++)
            {
                Fill(batch, row, c, kinds[c], n, h);
            }

            batch.SetString(row, statusColumn, AudienceColumns.Realized);
            batch.SetTimestamp(row, statusColumn + 1, Epoch.AddSeconds(-(long)(h % (30 * 86400))));
            if (batch.IsFull)
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return batch;
                batch.Clear();
            }
        }

        if (batch.Count > 0)
        {
            yield return batch;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    private static void Fill(RowBatch batch, int row, int column, int kind, long n, ulong h)
    {
        var first = FirstNames[(int)(h % (ulong)FirstNames.Length)];
        switch (kind)
        {
            case 0:
                batch.SetGuid(row, column, new Guid((uint)(n >> 32), (ushort)(n >> 16), (ushort)n, (byte)(h >> 8), (byte)(h >> 16), (byte)(h >> 24), (byte)(h >> 32), (byte)(h >> 40), (byte)(h >> 48), (byte)(h >> 56), (byte)h));
                break;
            case 1:
                batch.SetString(row, column, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{first.ToLowerInvariant()}.{n}@example.com"));
                break;
            case 2:
                batch.SetString(row, column, first);
                break;
            case 3:
                // About 2 % of rows need CSV quoting.
                batch.SetString(row, column, h % 50 == 7 ? QuotedLastNames[(int)(h >> 20) & 3] : LastNames[(int)((h >> 8) % (ulong)LastNames.Length)]);
                break;
            case 4:
                batch.SetString(row, column, Countries[(int)((h >> 12) % (ulong)Countries.Length)]);
                break;
            case 5:
                batch.SetDate(row, column, new DateOnly(1950, 1, 1).AddDays((int)((h >> 4) % 20000)));
                break;
            case 6:
                batch.SetInt32(row, column, (int)((h >> 24) % 100_000));
                break;
            case 7:
                batch.SetDecimal(row, column, (long)((h >> 28) % 10_000_000) / 100m);
                break;
            case 8:
                batch.SetTimestamp(row, column, Epoch.AddMilliseconds(-(long)((h >> 3) % (365L * 86_400_000))));
                break;
            case 9:
                batch.SetString(row, column, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"CRM-{n:D9}"));
                break;
        }
    }

    private static ulong StableHash(string text)
    {
        // FNV-1a: string.GetHashCode differs per process, and the rows must not.
        var hash = 14695981039346656037UL;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash;
    }

    private static ulong Mix(ulong x)
    {
        // splitmix64: cheap, well-distributed, deterministic.
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
