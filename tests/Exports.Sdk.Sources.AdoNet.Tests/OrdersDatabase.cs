using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Exports.Sdk.Sources.AdoNet.Tests;

/// <summary>
/// A SQLite file with a realistic 1,000,000-row <c>orders</c> table (generated in SQL, so set-up takes seconds), shared by
/// the tests of a class. Amounts are text decimals and times are text, as many SQLite schemas keep them.
/// </summary>
public sealed class OrdersDatabase : IDisposable
{
    public const int RowCount = 1_000_000;

    public OrdersDatabase()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"orders-{Guid.NewGuid():N}.db");
        using var connection = Open();
        Execute(connection, """
            PRAGMA journal_mode = OFF;
            PRAGMA synchronous = OFF;
            CREATE TABLE orders (
                id INTEGER PRIMARY KEY,
                customer_email TEXT NOT NULL,
                country TEXT NOT NULL,
                amount TEXT NOT NULL,
                quantity INTEGER NOT NULL,
                score REAL,
                is_gift INTEGER NOT NULL,
                created_at TEXT NOT NULL,
                note TEXT);
            WITH RECURSIVE seq(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM seq WHERE x < 1000000)
            INSERT INTO orders
            SELECT x,
                   'customer' || (x % 50000) || '@example.com',
                   substr('USFRDEGBESITBRPTNLSE', 1 + (x % 10) * 2, 2),
                   printf('%d.%02d', (x * 7919) % 100000, x % 100),
                   1 + x % 7,
                   CASE WHEN x % 11 = 0 THEN NULL ELSE ((x * 31) % 1000) / 8.0 END,
                   x % 5 = 0,
                   strftime('%Y-%m-%d %H:%M:%f', '2025-01-01', '+' || x || ' seconds', '+' || (x % 1000) || ' seconds'),
                   CASE WHEN x % 10 = 0 THEN NULL
                        WHEN x % 97 = 0 THEN 'gift, "wrapped"' || char(10) || 'twice'
                        ELSE 'order ' || x || ' é' END
            FROM seq;
            """);
    }

    public string Path { get; }

    public string ConnectionString => $"Data Source={Path};Pooling=False";

    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        return connection;
    }

    public static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Row count and checksum of the table read directly (raw SQLite values, not through the SDK).</summary>
    public (long Rows, ulong Checksum) DirectChecksum()
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, customer_email, country, amount, quantity, score, is_gift, created_at, note FROM orders";
        using var reader = command.ExecuteReader();
        var checksum = new RowChecksum();
        while (reader.Read())
        {
            checksum.Add(
                reader.GetInt64(0),
                reader.GetString(1),
                reader.GetString(2),
                decimal.Parse(reader.GetString(3), CultureInfo.InvariantCulture),
                reader.GetInt64(4),
                reader.IsDBNull(5) ? null : reader.GetDouble(5),
                reader.GetInt64(6) != 0,
                DateTime.ParseExact(reader.GetString(7), "yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
                reader.IsDBNull(8) ? null : reader.GetString(8));
        }

        return (checksum.Rows, checksum.Value);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        File.Delete(Path);
    }
}
