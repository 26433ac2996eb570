using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Exports.Sdk;

/// <summary>
/// Hashes a row's typed values (XxHash128) without boxing or allocating: the deduplication key of an audience, or a
/// change (a whole row and its change position) that an incremental run must export once.
/// </summary>
internal sealed class RowFingerprint
{
    private readonly XxHash128 _hash = new();

    public UInt128 Current => _hash.GetCurrentHashAsUInt128();

    public void Reset() => _hash.Reset();

    /// <summary>The fingerprint of a change: the columns (nulls told apart from values) and its position.</summary>
    public UInt128 Of(RowBatch batch, int row, int[] ordinals, long position)
    {
        _hash.Reset();
        foreach (var ordinal in ordinals)
        {
            var isNull = batch.IsNull(row, ordinal);
            _hash.Append(MemoryMarshal.AsBytes(new ReadOnlySpan<bool>(ref isNull)));
            if (!isNull)
            {
                AppendValue(batch, row, ordinal);
            }
        }

        _hash.Append(MemoryMarshal.AsBytes(new ReadOnlySpan<long>(ref position)));
        return _hash.GetCurrentHashAsUInt128();
    }

    public void AppendValue(RowBatch batch, int row, int ordinal)
    {
        switch (batch.Schema[ordinal].Type)
        {
            case ExportColumnType.String:
                var text = batch.GetString(row, ordinal)!;
                var length = text.Length;
                // The length keeps ("ab","c") and ("a","bc") apart.
                _hash.Append(MemoryMarshal.AsBytes(new ReadOnlySpan<int>(ref length)));
                _hash.Append(MemoryMarshal.AsBytes(text.AsSpan()));
                break;
            case ExportColumnType.Guid:
                var guid = batch.GetGuid(row, ordinal);
                _hash.Append(MemoryMarshal.AsBytes(new ReadOnlySpan<Guid>(ref guid)));
                break;
            case ExportColumnType.Decimal:
                var number = batch.GetDecimal(row, ordinal);
                _hash.Append(MemoryMarshal.AsBytes(new ReadOnlySpan<decimal>(ref number)));
                break;
            default:
                var bits = batch.Schema[ordinal].Type switch
                {
                    ExportColumnType.Int32 => batch.GetInt32(row, ordinal),
                    ExportColumnType.Int64 => batch.GetInt64(row, ordinal),
                    ExportColumnType.Double => BitConverter.DoubleToInt64Bits(batch.GetDouble(row, ordinal)),
                    ExportColumnType.Boolean => batch.GetBoolean(row, ordinal) ? 1 : 0,
                    ExportColumnType.Date => batch.GetDate(row, ordinal).DayNumber,
                    ExportColumnType.Timestamp => batch.GetTimestampTicks(row, ordinal),
                    _ => 0L,
                };
                _hash.Append(MemoryMarshal.AsBytes(new ReadOnlySpan<long>(ref bits)));
                break;
        }
    }
}
