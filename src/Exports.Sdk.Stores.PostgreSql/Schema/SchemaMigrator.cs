using System.Globalization;
using System.Text;
using Npgsql;

namespace Exports.Sdk.Stores.PostgreSql;

/// <summary>
/// Brings the schema to the latest version. Hosts starting together serialize on a transaction-scoped advisory lock,
/// so each migration runs once and in order; the applied versions are kept in <c>schema_version</c>.
/// </summary>
internal static class SchemaMigrator
{
    public static async Task MigrateAsync(NpgsqlDataSource dataSource, string schema, TimeProvider time, CancellationToken cancellationToken)
    {
        var quoted = PostgreSqlNames.Quote(schema);
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                await ExecuteAsync(connection, "SELECT pg_advisory_xact_lock(@key)", cancellationToken, ("key", LockKey(schema))).ConfigureAwait(false);
                await ExecuteAsync(connection, $"""
                    CREATE SCHEMA IF NOT EXISTS {quoted};
                    CREATE TABLE IF NOT EXISTS {quoted}.schema_version (
                        version     integer PRIMARY KEY,
                        description text NOT NULL,
                        applied_at  timestamptz NOT NULL
                    );
                    """, cancellationToken).ConfigureAwait(false);

                var current = 0;
                var read = new NpgsqlCommand($"SELECT coalesce(max(version), 0) FROM {quoted}.schema_version", connection);
                await using (read.ConfigureAwait(false))
                {
                    current = Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
                }

                foreach (var migration in StoreSchema.Migrations.Where(m => m.Version > current).OrderBy(m => m.Version))
                {
                    await ExecuteAsync(connection, migration.Sql.Replace("{schema}", quoted, StringComparison.Ordinal), cancellationToken).ConfigureAwait(false);
                    await ExecuteAsync(connection, $"INSERT INTO {quoted}.schema_version (version, description, applied_at) VALUES (@v, @d, @at)", cancellationToken,
                        ("v", migration.Version), ("d", migration.Description), ("at", time.GetUtcNow())).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>A stable 64-bit key per schema (FNV-1a), so stores in different schemas do not wait for each other.</summary>
    private static long LockKey(string schema)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes("Exports.Sdk.Stores.PostgreSql/" + schema))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return unchecked((long)hash);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        await using (command.ConfigureAwait(false))
        {
            foreach (var (name, value) in parameters)
            {
                command.Parameters.AddWithValue(name, value);
            }

            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
