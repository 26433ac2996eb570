using System.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;

namespace Exports.Sdk.Sources.AdoNet;

/// <summary>
/// Copies a <see cref="DbDataReader"/>'s rows into reused <see cref="RowBatch"/>es: each column is read with the typed
/// getter of its type (GetInt64, GetString, GetDateTime…) straight into the batch's typed setter, so no value is boxed.
/// </summary>
internal sealed class DbBatchReader
{
    private readonly int[] _ordinals;
    private readonly DbFieldGetter[] _getters;
    private readonly bool[] _plainText;
    private readonly string _where;
    private readonly byte[] _numeric = new byte[PostgresNumeric.MaxBytes];

    private DbBatchReader(ExportSchema schema, int[] ordinals, DbFieldGetter[] getters, bool[] plainText, string where)
    {
        _plainText = plainText;
        Schema = schema;
        _ordinals = ordinals;
        _getters = getters;
        _where = where;
    }

    /// <summary>The columns of the batches, in output order.</summary>
    public ExportSchema Schema { get; }

    /// <summary>Plans every column of a reader, in its order.</summary>
    /// <param name="reader">The open reader (before or on its first row).</param>
    /// <param name="overrides">Declared types by column name.</param>
    /// <param name="where">Names the query in messages, e.g. <c>dataset 'events' of source 'warehouse'</c>.</param>
    public static DbBatchReader ForAllColumns(DbDataReader reader, IReadOnlyDictionary<string, ExportColumnType> overrides, string where)
    {
        var columns = Enumerable.Range(0, reader.FieldCount).Select(i => (reader.GetName(i), i));
        return Plan(reader, columns, overrides, where);
    }

    /// <summary>Plans named columns (with an optional fixed ordinal), failing naming each missing column.</summary>
    public static DbBatchReader Plan(DbDataReader reader, IEnumerable<(string Name, int Ordinal)> columns, IReadOnlyDictionary<string, ExportColumnType> overrides, string where)
    {
        var problems = new List<string>();
        var schema = new List<ExportColumn>();
        var ordinals = new List<int>();
        var getters = new List<DbFieldGetter>();
        var plainText = new List<bool>();
        foreach (var (name, ordinal) in columns)
        {
            var fieldType = reader.GetFieldType(ordinal);
            var dataType = reader.GetDataTypeName(ordinal);
            if (!TryMap(fieldType, overrides.TryGetValue(name, out var declared) ? declared : null, out var type, out var getter))
            {
                problems.Add($"column '{name}' has the database type {dataType} (CLR {fieldType?.Name ?? "unknown"}), which an export cannot hold; " +
                    "cast it in the SQL or declare its type in ColumnTypes");
                continue;
            }

            if (getter == DbFieldGetter.Decimal && fieldType == typeof(decimal) && IsNpgsql(reader) && dataType.StartsWith("numeric", StringComparison.Ordinal))
            {
                getter = DbFieldGetter.PostgresNumeric;
            }
            else if (getter == DbFieldGetter.DateOnly && IsNpgsql(reader))
            {
                // GetFieldValue<DateOnly> is a generic virtual call, looked up for every value; Npgsql's GetDateTime reads a
                // date (infinity as DateTime.MaxValue, which is DateOnly.MaxValue) without one.
                getter = DbFieldGetter.DateOnlyFromDateTime;
            }

            schema.Add(new ExportColumn(name, type));
            ordinals.Add(ordinal);
            getters.Add(getter);
            plainText.Add(getter == DbFieldGetter.String && fieldType == typeof(string) && RepeatedTextReader.IsPlainText(dataType));
        }

        if (problems.Count > 0)
        {
            throw new ExportException($"The query of {where}: {string.Join("; ", problems)}.");
        }

        return new DbBatchReader(new ExportSchema(schema), [.. ordinals], [.. getters], [.. plainText], where);
    }

    /// <summary>
    /// Reads the rest of the result set in batches of the given size (one reused batch). <paramref name="extras"/> are
    /// appended after the planned columns and filled by <paramref name="fill"/>, for values the query does not return.
    /// Text columns whose values repeat share one string per value where the provider allows, and the others go into the
    /// batch as UTF-8 bytes (<see cref="RepeatedTextReader"/>).
    /// Stopped before the end (the export failed, or its consumer stopped reading), it cancels <paramref name="command"/>.
    /// </summary>
    public async IAsyncEnumerable<RowBatch> ReadAsync(DbCommand command, DbDataReader reader, int batchSize, IReadOnlyList<ExportColumn> extras, Action<RowBatch, int>? fill, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var columns = Schema.Count;
        var schema = extras.Count == 0 ? Schema : new ExportSchema([.. Schema, .. extras]);
        var batch = new RowBatch(schema, Math.Max(1, batchSize));
        var texts = new RepeatedTextReader?[columns];
        if (command.Connection is { } connection && RepeatedTextReader.Applies(connection, reader))
        {
            for (var i = 0; i < columns; i++)
            {
                texts[i] = _plainText[i] ? new RepeatedTextReader() : null;
            }
        }

        // Npgsql's getters throw on a null (and leave the row readable), so its columns skip IsDBNull, ~10 ns a value,
        // until their first null; other providers may return a default instead, so theirs always ask.
        var askNull = new bool[columns];
        Array.Fill(askNull, !IsNpgsql(reader));
        var ended = false;
        try
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var row = batch.AddRow();
                var c = 0;
                while (true)
                {
                    try
                    {
                        for (; c < columns; c++)
                        {
                            var ordinal = _ordinals[c];
                            if (askNull[c] && reader.IsDBNull(ordinal))
                            {
                                continue;
                            }

                            if (texts[c] is { Active: true } text)
                            {
                                if (text.Remembering)
                                {
                                    batch.SetString(row, c, text.Read(reader, ordinal));
                                }
                                else if (!text.TryCopyBytes(reader, ordinal, batch, row, c))
                                {
                                    batch.SetString(row, c, reader.GetString(ordinal));
                                }

                                continue;
                            }

                            Copy(reader, ordinal, _getters[c], batch, row, c, _numeric);
                        }

                        break;
                    }
                    catch (InvalidCastException) when (!askNull[c] && reader.IsDBNull(_ordinals[c]))
                    {
                        // The column's first null: the cell stays null, and the column asks from now on.
                        askNull[c] = true;
                        c++;
                    }
                    catch (Exception ex) when (ex is InvalidCastException or FormatException or OverflowException or ArgumentException)
                    {
                        throw new ExportException(
                            $"The query of {_where}: column '{Schema[c].Name}' has a value that cannot be read as {Schema[c].Type}: {ex.Message}", ex);
                    }
                }

                fill?.Invoke(batch, row);
                if (batch.IsFull)
                {
                    yield return batch;
                    batch.Clear();
                }
            }

            ended = true;
        }
        finally
        {
            if (!ended)
            {
                StopQuery(command, reader);
            }
        }

        yield return batch;
    }

    /// <summary>
    /// Asks the server to stop sending rows: disposing a reader before its end reads all the rows left (Npgsql and
    /// SqlClient do, to keep the connection usable), so a failed export would otherwise wait as long as the whole query
    /// (4.9M rows of the benchmark table: 3.1–3.4 s, against 19–33 ms after a cancel). ADO.NET's Cancel is synchronous
    /// (Npgsql sends the request over a short connection of its own) and has no asynchronous form.
    /// </summary>
    private static void StopQuery(DbCommand command, DbDataReader reader)
    {
        // A reader or connection that failed has nothing left to send (and a cancel would try to reach the server again).
        if (reader.IsClosed || command.Connection?.State != ConnectionState.Open)
        {
            return;
        }

        try
        {
            command.Cancel();
        }
#pragma warning disable CA1031 // Best effort, in a finally block: it must never replace the error that stopped the read.
        catch (Exception)
#pragma warning restore CA1031
        {
            // A provider that cannot cancel still reads the rest when the reader is disposed.
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Copy(DbDataReader reader, int ordinal, DbFieldGetter getter, RowBatch batch, int row, int column, byte[] numeric)
    {
        switch (getter)
        {
            case DbFieldGetter.String: batch.SetString(row, column, reader.GetString(ordinal)); break;
            case DbFieldGetter.Boolean: batch.SetBoolean(row, column, reader.GetBoolean(ordinal)); break;
            case DbFieldGetter.Byte: batch.SetInt32(row, column, reader.GetByte(ordinal)); break;
            case DbFieldGetter.Int16: batch.SetInt32(row, column, reader.GetInt16(ordinal)); break;
            case DbFieldGetter.Int32: batch.SetInt32(row, column, reader.GetInt32(ordinal)); break;
            case DbFieldGetter.Int64: batch.SetInt64(row, column, reader.GetInt64(ordinal)); break;
            case DbFieldGetter.Single: batch.SetDouble(row, column, reader.GetFloat(ordinal)); break;
            case DbFieldGetter.Double: batch.SetDouble(row, column, reader.GetDouble(ordinal)); break;
            case DbFieldGetter.Decimal: batch.SetDecimal(row, column, reader.GetDecimal(ordinal)); break;
            case DbFieldGetter.PostgresNumeric:
                // A longer value is cut short here, which its digit count shows; the column can be read again.
                var length = (int)reader.GetBytes(ordinal, 0, numeric, 0, numeric.Length);
                batch.SetDecimal(row, column, PostgresNumeric.TryRead(numeric.AsSpan(0, length), out var value) ? value : reader.GetDecimal(ordinal));
                break;
            case DbFieldGetter.DateTime: batch.SetTimestamp(row, column, AsUtc(reader.GetDateTime(ordinal))); break;
            case DbFieldGetter.DateTimeOffset: batch.SetTimestamp(row, column, reader.GetFieldValue<DateTimeOffset>(ordinal)); break;
            case DbFieldGetter.DateOnly: batch.SetDate(row, column, reader.GetFieldValue<DateOnly>(ordinal)); break;
            case DbFieldGetter.DateOnlyFromDateTime: batch.SetDate(row, column, DateOnly.FromDateTime(reader.GetDateTime(ordinal))); break;
            case DbFieldGetter.Guid: batch.SetGuid(row, column, reader.GetGuid(ordinal)); break;
        }
    }

    /// <summary>Npgsql's reader, whose GetBytes returns any column's value as PostgreSQL sent it (Npgsql 8 and later).</summary>
    internal static bool IsNpgsql(DbDataReader reader) => reader.GetType().FullName == "Npgsql.NpgsqlDataReader";

    /// <summary>Database timestamps without a zone are taken as UTC (store UTC); local ones are converted.</summary>
    private static DateTimeOffset AsUtc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Local => new DateTimeOffset(value.ToUniversalTime()),
        _ => new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Utc)),
    };

    private static bool TryMap(Type? fieldType, ExportColumnType? declared, out ExportColumnType type, out DbFieldGetter getter)
    {
        if (declared is { } d)
        {
            type = d;
            getter = d switch
            {
                ExportColumnType.String => DbFieldGetter.String,
                ExportColumnType.Int32 => DbFieldGetter.Int32,
                ExportColumnType.Int64 => DbFieldGetter.Int64,
                ExportColumnType.Double => DbFieldGetter.Double,
                ExportColumnType.Decimal => DbFieldGetter.Decimal,
                ExportColumnType.Boolean => DbFieldGetter.Boolean,
                ExportColumnType.Date => fieldType == typeof(DateOnly) ? DbFieldGetter.DateOnly : DbFieldGetter.DateOnlyFromDateTime,
                ExportColumnType.Timestamp => fieldType == typeof(DateTimeOffset) ? DbFieldGetter.DateTimeOffset : DbFieldGetter.DateTime,
                _ => DbFieldGetter.Guid,
            };
            return true;
        }

        (type, getter) = fieldType switch
        {
            _ when fieldType == typeof(string) => (ExportColumnType.String, DbFieldGetter.String),
            _ when fieldType == typeof(bool) => (ExportColumnType.Boolean, DbFieldGetter.Boolean),
            _ when fieldType == typeof(byte) => (ExportColumnType.Int32, DbFieldGetter.Byte),
            _ when fieldType == typeof(short) => (ExportColumnType.Int32, DbFieldGetter.Int16),
            _ when fieldType == typeof(int) => (ExportColumnType.Int32, DbFieldGetter.Int32),
            _ when fieldType == typeof(long) => (ExportColumnType.Int64, DbFieldGetter.Int64),
            _ when fieldType == typeof(float) => (ExportColumnType.Double, DbFieldGetter.Single),
            _ when fieldType == typeof(double) => (ExportColumnType.Double, DbFieldGetter.Double),
            _ when fieldType == typeof(decimal) => (ExportColumnType.Decimal, DbFieldGetter.Decimal),
            _ when fieldType == typeof(DateTime) => (ExportColumnType.Timestamp, DbFieldGetter.DateTime),
            _ when fieldType == typeof(DateTimeOffset) => (ExportColumnType.Timestamp, DbFieldGetter.DateTimeOffset),
            _ when fieldType == typeof(DateOnly) => (ExportColumnType.Date, DbFieldGetter.DateOnly),
            _ when fieldType == typeof(Guid) => (ExportColumnType.Guid, DbFieldGetter.Guid),
            _ => ((ExportColumnType)(-1), DbFieldGetter.String),
        };
        return Enum.IsDefined(type);
    }
}
