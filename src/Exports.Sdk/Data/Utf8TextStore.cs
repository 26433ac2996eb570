using System.Text;

namespace Exports.Sdk;

/// <summary>
/// The text values of one <see cref="ColumnVector"/> that were set as UTF-8 bytes: one byte array per batch, reused, so
/// a column of values that do not repeat (e-mails, ids) costs no string per row. Strings for every row made the garbage
/// collector's work a tenth of a PostgreSQL export's CPU (docs/performance/log.md). Text formats copy the bytes as they are;
/// other readers get a string decoded on each call.
/// </summary>
internal sealed class Utf8TextStore
{
    private readonly int[] _starts;
    private readonly int[] _lengths;
    private byte[] _bytes = new byte[4096];
    private int _used;

    public Utf8TextStore(int capacity)
    {
        _starts = new int[capacity];
        _lengths = new int[capacity];
    }

    /// <summary>Copies a row's value; the caller checked that it is UTF-8.</summary>
    public void Set(int row, ReadOnlySpan<byte> value)
    {
        if (_bytes.Length - _used < value.Length)
        {
            Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, _used + value.Length));
        }

        value.CopyTo(_bytes.AsSpan(_used));
        _starts[row] = _used;
        _lengths[row] = value.Length;
        _used += value.Length;
    }

    /// <summary>The bytes of a row set by <see cref="Set"/>.</summary>
    public ReadOnlySpan<byte> Get(int row) => _bytes.AsSpan(_starts[row], _lengths[row]);

    /// <summary>The value of a row set by <see cref="Set"/> as a new string.</summary>
    public string GetString(int row) => Encoding.UTF8.GetString(Get(row));

    /// <summary>Forgets every value; the bytes are kept for the next batch.</summary>
    public void Clear() => _used = 0;
}
