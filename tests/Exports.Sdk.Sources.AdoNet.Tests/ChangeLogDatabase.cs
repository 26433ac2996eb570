using System.Data.Common;
using Exports.Sdk.ClusterTests;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Exports.Sdk.Sources.AdoNet.Tests;

/// <summary>
/// A membership table whose change times are written by the database side (here: an hour behind the host's clock), on
/// SQLite (a file) or on the PostgreSQL that scripts/services.sh starts.
/// </summary>
internal sealed class ChangeLogDatabase : IAsyncDisposable
{
    private readonly TestDatabase? _postgres;
    private readonly string? _sqlitePath;

    private ChangeLogDatabase(TestDatabase? postgres, string? sqlitePath)
    {
        _postgres = postgres;
        _sqlitePath = sqlitePath;
    }

    public static async Task<ChangeLogDatabase> CreateAsync(string engine)
    {
        var db = engine == "postgresql"
            ? new ChangeLogDatabase(await TestDatabase.CreateAsync(), null)
            : new ChangeLogDatabase(null, Path.Combine(Path.GetTempPath(), $"changes-{Guid.NewGuid():N}.db"));
        await db.ExecuteAsync(engine == "postgresql"
            ? "CREATE TABLE members (id int PRIMARY KEY, email text NOT NULL, status text NOT NULL, changed_at timestamptz NOT NULL)"
            : "CREATE TABLE members (id INTEGER PRIMARY KEY, email TEXT NOT NULL, status TEXT NOT NULL, changed_at TEXT NOT NULL)");
        return db;
    }

    public DbConnection NewConnection() => _postgres is not null
        ? new NpgsqlConnection(_postgres.ConnectionString)
        : new SqliteConnection($"Data Source={_sqlitePath};Pooling=False");

    /// <summary>Inserts or updates a member, the change time given as the database's clock would write it.</summary>
    public async Task UpsertAsync(int id, string email, string status, DateTimeOffset changedAt, DbTransaction? transaction = null)
    {
        var connection = transaction?.Connection ?? NewConnection();
        try
        {
            if (transaction is null)
            {
                await connection.OpenAsync();
            }

            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                INSERT INTO members (id, email, status, changed_at) VALUES (@id, @email, @status, @at)
                ON CONFLICT (id) DO UPDATE SET status = excluded.status, changed_at = excluded.changed_at
                """;
            Add(command, "id", id);
            Add(command, "email", email);
            Add(command, "status", status);
            Add(command, "at", _postgres is not null ? changedAt.UtcDateTime : changedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture));
            await command.ExecuteNonQueryAsync();
        }
        finally
        {
            if (transaction is null)
            {
                await connection.DisposeAsync();
            }
        }
    }

    /// <summary>A transaction left open: what it writes is invisible to readers until it commits.</summary>
    public async Task<DbTransaction> BeginAsync()
    {
        var connection = NewConnection();
        await connection.OpenAsync();
        return await connection.BeginTransactionAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
        else
        {
            SqliteConnection.ClearAllPools();
            File.Delete(_sqlitePath!);
        }
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = NewConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
