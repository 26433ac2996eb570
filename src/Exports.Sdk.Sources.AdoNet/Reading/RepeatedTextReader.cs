using System.Buffers.Binary;
using System.Data.Common;
using System.Text;

namespace Exports.Sdk.Sources.AdoNet;

/// <summary>
/// Reads a text column from its raw UTF-8 bytes and hands out the same string for a value seen recently, so a column
/// of repeated values (countries, statuses, names, plans) allocates a string per distinct value instead of one per row.
/// Strings are most of what an export from a database allocates, and the garbage collector's churn for them (memory
/// handed back and faulted in again) took a sixth of a PostgreSQL export's time (docs/performance/log.md). A column whose
/// values keep changing (e-mails, ids) is read with <see cref="DbDataReader.GetString"/> again once its first values
/// show that they do not repeat: its UTF-8 bytes then go into the batch as they are (<see cref="TryCopyBytes"/>).
/// </summary>
internal sealed class RepeatedTextReader
{
    /// <summary>Distinct values remembered, one per slot of their hash: a value evicts the one in its slot.</summary>
    private const int SlotBits = 9;

    /// <summary>Longer values are not remembered: long text rarely repeats, and comparing it would cost more.</summary>
    private const int MaxRememberedBytes = 48;

    /// <summary>Values looked up before the column decides whether remembering pays.</summary>
    internal const int TrialValues = 4096;

    /// <summary>Throws on bytes that are not UTF-8, so text in another encoding is never decoded wrongly.</summary>
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly string?[] _strings = new string?[1 << SlotBits];
    private readonly byte[] _remembered = new byte[(1 << SlotBits) * MaxRememberedBytes];
    private readonly byte[] _lengths = new byte[1 << SlotBits];
    private readonly byte[] _buffer = new byte[MaxRememberedBytes + 1];
    private byte[] _bytes = new byte[256];
    private bool _notUtf8;
    private int _looked;
    private int _found;

    /// <summary>Whether the column is still read this way; once its values prove not to repeat, it is read as bytes.</summary>
    public bool Remembering { get; private set; } = true;

    /// <summary>Whether the column is read through this reader at all: not once a value turned out not to be UTF-8.</summary>
    public bool Active => !_notUtf8;

    /// <summary>
    /// Whether a reader's <see cref="DbDataReader.GetBytes"/> returns a text value's bytes in UTF-8 and its
    /// <see cref="DbDataReader.GetString"/> decodes them as UTF-8: Npgsql's do, unless the connection string names another
    /// <c>Client Encoding</c> (or PGCLIENTENCODING does) or another .NET <c>Encoding</c>.
    /// </summary>
    public static bool Applies(DbConnection connection, DbDataReader reader)
    {
        if (!BitConverter.IsLittleEndian || !DbBatchReader.IsNpgsql(reader))
        {
            return false;
        }

        var settings = new DbConnectionStringBuilder { ConnectionString = connection.ConnectionString };
        var client = Setting(settings, "Client Encoding", "ClientEncoding") ?? Environment.GetEnvironmentVariable("PGCLIENTENCODING");
        return IsUtf8(client) && IsUtf8(Setting(settings, "Encoding"));
    }

    /// <summary>
    /// Whether a column of this database type (as Npgsql names it: <c>character varying(40)</c>, <c>public.citext</c>) is
    /// sent as its text alone. Others are not, e.g. jsonb starts with a version byte; arrays and enums are left to the provider.
    /// </summary>
    public static bool IsPlainText(string dataTypeName)
    {
        var name = dataTypeName.AsSpan();
        if (name.EndsWith(".citext", StringComparison.Ordinal))
        {
            return true;
        }

        // A length modifier, "(40)", and nothing after it.
        if (name.EndsWith(")") && name.LastIndexOf('(') is > 0 and var open && name[(open + 1)..^1] is { Length: > 0 } digits && !digits.ContainsAnyExceptInRange('0', '9'))
        {
            name = name[..open];
        }

        return name is "text" or "character varying" or "varchar" or "character" or "bpchar" or "name" or "citext";
    }

    /// <summary>
    /// Reads the column's value on the reader's current row. On a null, Npgsql's GetBytes throws before anything is read
    /// or counted (the caller records the null).
    /// </summary>
    public string Read(DbDataReader reader, int ordinal)
    {
        // Only the bytes a remembered value can have; a longer value is the provider's to read (a column can be read
        // again in the default, non-sequential access). GetBytes copies the raw bytes of any type (Npgsql 8 and later)
        // without the stream object GetStream creates and disposes for every value.
        var length = (int)reader.GetBytes(ordinal, 0, _buffer, 0, _buffer.Length);

        if (_looked < TrialValues && ++_looked == TrialValues)
        {
            // Remembering pays when most values are found: a miss costs the byte copy and a compare on top of the string.
            Remembering = _found * 2 >= TrialValues;
        }

        if (length > MaxRememberedBytes)
        {
            return reader.GetString(ordinal);
        }

        var value = _buffer.AsSpan(0, length);
        var slot = Slot(value);
        var remembered = _remembered.AsSpan(slot * MaxRememberedBytes, _lengths[slot]);
        if (_strings[slot] is { } found && remembered.SequenceEqual(value))
        {
            _found++;
            return found;
        }

        string text;
        try
        {
            text = StrictUtf8.GetString(value);
        }
        catch (DecoderFallbackException)
        {
            // Not UTF-8 after all: the provider decodes this column from now on.
            Remembering = false;
            _notUtf8 = true;
            return reader.GetString(ordinal);
        }

        if (Remembering)
        {
            _strings[slot] = text;
            _lengths[slot] = (byte)length;
            value.CopyTo(_remembered.AsSpan(slot * MaxRememberedBytes));
        }

        return text;
    }

    /// <summary>
    /// Copies the column's value on the reader's current row into a batch as its UTF-8 bytes; <see langword="false"/>
    /// when they are not UTF-8 (the provider decodes the column from then on). On a null, Npgsql's GetBytes throws before
    /// anything is copied.
    /// </summary>
    public bool TryCopyBytes(DbDataReader reader, int ordinal, RowBatch batch, int row, int column)
    {
        var length = (int)reader.GetBytes(ordinal, 0, _bytes, 0, _bytes.Length);
        if (length == _bytes.Length)
        {
            // Maybe longer: a null buffer asks for the length.
            var total = (int)reader.GetBytes(ordinal, 0, null, 0, 0);
            if (total > length)
            {
                _bytes = new byte[Math.Max(total, _bytes.Length * 2)];
                length = (int)reader.GetBytes(ordinal, 0, _bytes, 0, total);
            }
        }

        try
        {
            // The batch checks the bytes, once.
            batch.SetUtf8String(row, column, _bytes.AsSpan(0, length));
            return true;
        }
        catch (ArgumentException)
        {
            _notUtf8 = true;
            return false;
        }
    }

    private static string? Setting(DbConnectionStringBuilder settings, params ReadOnlySpan<string> keys)
    {
        foreach (var key in keys)
        {
            if (settings.TryGetValue(key, out var value) && value?.ToString() is { Length: > 0 } text)
            {
                return text;
            }
        }

        return null;
    }

    private static bool IsUtf8(string? encoding) =>
        encoding is null || encoding.Replace("-", "", StringComparison.Ordinal).Equals("UTF8", StringComparison.OrdinalIgnoreCase)
        || encoding.Equals("UNICODE", StringComparison.OrdinalIgnoreCase);

    /// <summary>A hash of the value's length and its first and last eight bytes, which is where short values differ.</summary>
    private static int Slot(ReadOnlySpan<byte> value)
    {
        ulong head = 0, tail = 0;
        if (value.Length >= 8)
        {
            head = BinaryPrimitives.ReadUInt64LittleEndian(value);
            tail = BinaryPrimitives.ReadUInt64LittleEndian(value[^8..]);
        }
        else
        {
            foreach (var b in value)
            {
                head = (head << 8) | b;
            }
        }

        var mixed = ((head * 0x9E3779B97F4A7C15UL) ^ tail ^ (ulong)value.Length) * 0xC2B2AE3D27D4EB4FUL;
        return (int)(mixed >> (64 - SlotBits));
    }
}
