using System.Buffers.Binary;
using System.Data.Common;
using System.Text;

namespace Exports.Sdk.Sources.AdoNet;

/// <summary>
/// Reads a text column from its raw UTF-8 bytes and hands out the same string for a value seen recently, so a column
/// of repeated values (countries, statuses, names, plans) allocates a string per distinct value instead of one per row.
/// Strings are most of what an export from a database allocates, and the garbage collector's churn for them (memory
/// handed back and faulted in again) took a sixth of a PostgreSQL export's time (docs/performance.md). A column whose
/// values keep changing (e-mails, ids) is read with
/// <see cref="DbDataReader.GetString"/> again once its first values show that they do not repeat.
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
    private byte[] _buffer = new byte[256];
    private int _looked;
    private int _found;

    /// <summary>Whether the column is still read this way; once its values prove not to repeat, it is read as strings.</summary>
    public bool Remembering { get; private set; } = true;

    /// <summary>
    /// Whether a reader's <see cref="DbDataReader.GetStream"/> returns a text value's bytes in UTF-8: Npgsql's does,
    /// in the client encoding, which is UTF-8 unless the connection string or PGCLIENTENCODING names another.
    /// </summary>
    public static bool Applies(DbConnection connection, DbDataReader reader)
    {
        if (!BitConverter.IsLittleEndian || reader.GetType().FullName != "Npgsql.NpgsqlDataReader")
        {
            return false;
        }

        var settings = new DbConnectionStringBuilder { ConnectionString = connection.ConnectionString };
        var named = settings.TryGetValue("Client Encoding", out var value) || settings.TryGetValue("ClientEncoding", out value)
            ? value?.ToString()
            : Environment.GetEnvironmentVariable("PGCLIENTENCODING");
        return string.IsNullOrEmpty(named) || named.Replace("-", "", StringComparison.Ordinal).Equals("UTF8", StringComparison.OrdinalIgnoreCase)
            || named.Equals("UNICODE", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Whether a column of this database type is sent as its text alone. Others are not, e.g. PostgreSQL's jsonb starts
    /// with a version byte, and a domain or enum is left to the provider.
    /// </summary>
    public static bool IsPlainText(string dataTypeName)
    {
        foreach (var name in (ReadOnlySpan<string>)["text", "character varying", "varchar", "character", "bpchar", "name", "citext"])
        {
            if (dataTypeName == name || (dataTypeName.StartsWith(name, StringComparison.Ordinal) && dataTypeName.AsSpan(name.Length).StartsWith("(")))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Reads the column's value on the reader's current row (not null).</summary>
    public string Read(DbDataReader reader, int ordinal)
    {
        var length = ReadBytes(reader, ordinal);
        var value = _buffer.AsSpan(0, length);
        if (_looked < TrialValues && ++_looked == TrialValues)
        {
            // Remembering pays when most values are found: a miss costs the stream and a compare on top of the string.
            Remembering = _found * 2 >= TrialValues;
        }

        if (length > MaxRememberedBytes)
        {
            return Decode(reader, ordinal, value);
        }

        var slot = Slot(value);
        var remembered = _remembered.AsSpan(slot * MaxRememberedBytes, _lengths[slot]);
        if (_strings[slot] is { } found && remembered.SequenceEqual(value))
        {
            _found++;
            return found;
        }

        var text = Decode(reader, ordinal, value);
        if (Remembering)
        {
            _strings[slot] = text;
            _lengths[slot] = (byte)length;
            value.CopyTo(_remembered.AsSpan(slot * MaxRememberedBytes));
        }

        return text;
    }

    /// <summary>Bytes that are not UTF-8 mean the client encoding is another: the provider decodes them, and the column stops reading bytes.</summary>
    private string Decode(DbDataReader reader, int ordinal, ReadOnlySpan<byte> value)
    {
        try
        {
            return StrictUtf8.GetString(value);
        }
        catch (DecoderFallbackException)
        {
            Remembering = false;
            return reader.GetString(ordinal);
        }
    }

    private int ReadBytes(DbDataReader reader, int ordinal)
    {
        using var stream = reader.GetStream(ordinal);
        var length = 0;
        while (true)
        {
            if (length == _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }

            var read = stream.Read(_buffer, length, _buffer.Length - length);
            if (read == 0)
            {
                return length;
            }

            length += read;
        }
    }

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
