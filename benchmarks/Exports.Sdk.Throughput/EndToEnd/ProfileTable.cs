using System.Globalization;
using Npgsql;

namespace Exports.Sdk.Throughput;

/// <summary>
/// A PostgreSQL table of profile rows with the harness's ten columns (uuid, e-mail, names with some needing quotes,
/// country, date, int, numeric, timestamptz, status), generated once per size by the server itself (untimed).
/// </summary>
internal static class ProfileTable
{
    public static string NameFor(long rows) => "bench_profiles_" + rows.ToString(CultureInfo.InvariantCulture);

    public const string Columns = "id, email, first_name, last_name, country, birth_date, points, balance, updated_at, status";

    public static async Task<string> EnsureAsync(string connectionString, long rows)
    {
        var table = NameFor(rows);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using (var exists = new NpgsqlCommand($"SELECT count(*) FROM pg_class WHERE relname = '{table}' AND relkind = 'r'", connection))
        {
            if ((long)(await exists.ExecuteScalarAsync())! == 1)
            {
                return table;
            }
        }

        Console.WriteLine($"Generating {rows:N0} rows in PostgreSQL table {table} (once)...");
        await using var create = new NpgsqlCommand($"""
            CREATE UNLOGGED TABLE {table} AS
            SELECT md5(i::text)::uuid AS id,
                   'user' || i || '@example.com' AS email,
                   (ARRAY['Ana','Bo','Cyril','Dee','Elif','Fay','Gus','Hélène'])[1 + i % 8] AS first_name,
                   CASE WHEN i % 50 = 0 THEN 'O''Neil, Jr.' ELSE (ARRAY['Smith','Jones','Brown','Lee','García'])[1 + i % 5] END AS last_name,
                   (ARRAY['US','FR','DE','GB','PT','JP'])[1 + i % 6] AS country,
                   DATE '1950-01-01' + (i % 20000)::int AS birth_date,
                   (i % 100000)::int AS points,
                   ((i % 1000000) / 100.0)::numeric(12,2) AS balance,
                   TIMESTAMPTZ '2026-01-01 00:00:00+00' + make_interval(secs => i) AS updated_at,
                   CASE WHEN i % 10 = 0 THEN 'exited' ELSE 'realized' END AS status
            FROM generate_series(1::bigint, {rows.ToString(CultureInfo.InvariantCulture)}::bigint) AS i;
            """, connection) { CommandTimeout = 0 };
        await create.ExecuteNonQueryAsync();

        // Vacuumed now, untimed: otherwise autovacuum takes the new table up during the first exports (it did during the
        // 10M-row export, 2026-12-06), and the first reads of its rows set their hint bits, writing the pages again.
        // VACUUM cannot run in the transaction block a multi-statement command is, so it is a command of its own.
        await using var vacuum = new NpgsqlCommand($"VACUUM (ANALYZE) {table}", connection) { CommandTimeout = 0 };
        await vacuum.ExecuteNonQueryAsync();
        return table;
    }
}
