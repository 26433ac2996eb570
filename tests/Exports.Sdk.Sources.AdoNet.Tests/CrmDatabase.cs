using Microsoft.Data.Sqlite;

namespace Exports.Sdk.Sources.AdoNet.Tests;

/// <summary>A small CRM in SQLite: profiles, segments and memberships with status and change time.</summary>
internal sealed class CrmDatabase : IDisposable
{
    public CrmDatabase()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"crm-{Guid.NewGuid():N}.db");
        Execute("""
            CREATE TABLE profiles (id INTEGER PRIMARY KEY, email TEXT NOT NULL, first_name TEXT, country TEXT, points INTEGER, avatar BLOB,
                                   updated_at TEXT NOT NULL);
            CREATE TABLE segments (id TEXT PRIMARY KEY, name TEXT NOT NULL, description TEXT);
            CREATE TABLE segment_members (segment_id TEXT NOT NULL, profile_id INTEGER NOT NULL, status TEXT NOT NULL, changed_at TEXT NOT NULL);
            INSERT INTO segments VALUES ('vip', 'VIP / best customers', 'Top 1 %'), ('lapsed', 'Lapsed', NULL);
            INSERT INTO profiles VALUES
              (1, 'ana@example.com', 'Ana', 'PT', 1200, x'00FF', '2026-01-01 10:00:00'),
              (2, 'bo@example.com', 'Bo, "the" Builder', 'SE', NULL, NULL, '2026-01-02 10:00:00'),
              (3, 'chloé@example.com', NULL, 'FR', 15, NULL, '2026-01-03 10:00:00');
            INSERT INTO segment_members VALUES
              ('vip', 1, 'realized', '2026-01-01 10:00:00'),
              ('vip', 2, 'realized', '2026-01-02 10:00:00'),
              ('vip', 3, 'exited', '2026-01-05 10:00:00');
            """);
    }

    public string Path { get; }

    public string ConnectionString => $"Data Source={Path};Pooling=False";

    public void Execute(string sql)
    {
        using var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        File.Delete(Path);
    }
}
