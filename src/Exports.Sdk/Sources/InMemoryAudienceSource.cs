using System.Runtime.CompilerServices;

namespace Exports.Sdk;

/// <summary>
/// An audience source over lists held in memory, for tests, samples and small fixed audiences. Column types are
/// inferred from the first non-null value of each attribute (text when all are null).
/// </summary>
public sealed class InMemoryAudienceSource : IAudienceSource, IAudienceAttributeSource
{
    private readonly Dictionary<string, (AudienceInfo Info, List<AudienceMember> Members)> _audiences = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Adds or replaces an audience.</summary>
    /// <param name="audience">The audience's id and name.</param>
    /// <param name="members">Its members.</param>
    /// <returns>This source.</returns>
    public InMemoryAudienceSource AddAudience(AudienceInfo audience, IEnumerable<AudienceMember> members)
    {
        ArgumentNullException.ThrowIfNull(audience);
        ArgumentNullException.ThrowIfNull(members);
        lock (_lock)
        {
            _audiences[audience.Id] = (audience, [.. members]);
        }

        return this;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<AudienceInfo> ListAudiencesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        AudienceInfo[] audiences;
        lock (_lock)
        {
            audiences = [.. _audiences.Values.Select(a => a.Info.Size is null ? a.Info with { Size = a.Members.Count } : a.Info)];
        }

        foreach (var audience in audiences)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return audience;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <summary>Every attribute some member has, typed as a read would type it.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The attributes by path.</returns>
    public async IAsyncEnumerable<ExportColumn> ListAttributesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        AudienceMember[] members;
        lock (_lock)
        {
            members = [.. _audiences.Values.SelectMany(a => a.Members)];
        }

        var names = members.SelectMany(m => m.Attributes.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        foreach (var name in names)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return new ExportColumn(name, InferType(members, name));
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<RowBatch> ReadMembersAsync(AudienceReadRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        AudienceMember[] members;
        lock (_lock)
        {
            if (!_audiences.TryGetValue(request.AudienceId, out var audience))
            {
                throw new ExportException($"The in-memory source has no audience '{request.AudienceId}'.");
            }

            members = [.. audience.Members];
        }

        var selected = members.Where(m => request.ChangedSince is { } since
            ? m.ChangedAt >= since
            : m.Status == MembershipStatus.Realized).ToArray();
        if (request.NewestFirst)
        {
            selected = [.. selected.OrderByDescending(m => m.StatusTime)];
        }

        // Identity values live in the members' attributes under identityMap.<namespace>.
        string[] names = [.. request.Attributes, .. request.IdentityNamespaces.Select(AudienceColumns.Identity)];
        var columns = names.Select(a => new ExportColumn(a, InferType(selected, a))).ToList();
        columns.Add(new ExportColumn(AudienceColumns.MembershipStatus, ExportColumnType.String));
        columns.Add(new ExportColumn(AudienceColumns.MembershipStatusTime, ExportColumnType.Timestamp));
        columns.Add(new ExportColumn(AudienceColumns.ChangeTime, ExportColumnType.Timestamp));
        var schema = new ExportSchema(columns);
        var statusColumn = names.Length;
        var batch = new RowBatch(schema, Math.Max(1, request.BatchSize));
        if (selected.Length == 0)
        {
            yield return batch;
            yield break;
        }

        foreach (var member in selected)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var row = batch.AddRow();
            for (var c = 0; c < names.Length; c++)
            {
                batch.SetValue(row, c, member.Attributes.GetValueOrDefault(names[c]));
            }

            batch.SetString(row, statusColumn, AudienceColumns.ToText(member.Status));
            batch.SetTimestamp(row, statusColumn + 1, member.StatusTime);
            batch.SetTimestamp(row, statusColumn + 2, member.ChangedAt);
            if (batch.IsFull)
            {
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

    private static ExportColumnType InferType(AudienceMember[] members, string attribute)
    {
        foreach (var member in members)
        {
            if (member.Attributes.GetValueOrDefault(attribute) is { } value)
            {
                return value switch
                {
                    string => ExportColumnType.String,
                    int or short or byte => ExportColumnType.Int32,
                    long => ExportColumnType.Int64,
                    double or float => ExportColumnType.Double,
                    decimal => ExportColumnType.Decimal,
                    bool => ExportColumnType.Boolean,
                    DateOnly => ExportColumnType.Date,
                    DateTimeOffset or DateTime => ExportColumnType.Timestamp,
                    Guid => ExportColumnType.Guid,
                    _ => ExportColumnType.String,
                };
            }
        }

        return ExportColumnType.String;
    }
}
