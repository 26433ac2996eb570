using System.Globalization;

namespace Exports.Sdk.Sources.AdoNet.Tests;

/// <summary>
/// An order-independent content checksum of order rows: the wrapping sum of a 64-bit FNV-1a hash of each row's
/// canonical text. Equal checksums and counts mean the same multiset of rows.
/// </summary>
internal sealed class RowChecksum
{
    public long Rows { get; private set; }

    public ulong Value { get; private set; }

    public void Add(long id, string email, string country, decimal amount, long quantity, double? score, bool isGift, DateTime createdAtUtc, string? note)
    {
        var canonical = string.Create(CultureInfo.InvariantCulture,
            $"{id}|{email}|{country}|{amount:0.00}|{quantity}|{(score is { } s ? s.ToString("R", CultureInfo.InvariantCulture) : "∅")}|{isGift}|{createdAtUtc:yyyy-MM-ddTHH:mm:ss.fff}|{note ?? "∅"}");
        var hash = 14695981039346656037UL;
        foreach (var c in canonical)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        Value += hash;
        Rows++;
    }
}
