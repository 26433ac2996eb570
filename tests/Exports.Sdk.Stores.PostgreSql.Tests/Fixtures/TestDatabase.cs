using Npgsql;

namespace Exports.Sdk.ClusterTests;

/// <summary>
/// A fresh database on the private PostgreSQL that scripts/services.sh starts (connection string from
/// .services/services.env or EXPORTS_PG_CONNECTION_STRING), dropped when disposed.
/// </summary>
internal sealed class TestDatabase : IAsyncDisposable
{
    private TestDatabase(string name, string connectionString)
    {
        Name = name;
        ConnectionString = connectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public static string ServerConnectionString { get; } = FindServer();

    public static async Task<TestDatabase> CreateAsync()
    {
        var name = "exports_test_" + Guid.NewGuid().ToString("N")[..12];
        await using (var admin = new NpgsqlConnection(ServerConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            await create.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = name };
        return new TestDatabase(name, builder.ConnectionString);
    }

    public NpgsqlDataSource NewDataSource() => NpgsqlDataSource.Create(ConnectionString);

    public async ValueTask DisposeAsync()
    {
        // This database's pool only: clearing every pool would reach into the tests running beside this one. The drop
        // below ends any connection another pool still holds to it.
        await using (var own = new NpgsqlConnection(ConnectionString))
        {
            NpgsqlConnection.ClearPool(own);
        }

        await using var admin = new NpgsqlConnection(ServerConnectionString);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }

    private static string FindServer()
    {
        if (Environment.GetEnvironmentVariable("EXPORTS_PG_CONNECTION_STRING") is { Length: > 0 } fromEnvironment)
        {
            return fromEnvironment;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var env = Path.Combine(dir.FullName, ".services", "services.env");
            if (File.Exists(env))
            {
                var line = File.ReadAllLines(env).FirstOrDefault(l => l.StartsWith("PG_CONNECTION_STRING=", StringComparison.Ordinal));
                if (line is not null)
                {
                    return line["PG_CONNECTION_STRING=".Length..];
                }
            }
        }

        throw new InvalidOperationException("No PostgreSQL for the tests: run scripts/services.sh start (or set EXPORTS_PG_CONNECTION_STRING).");
    }
}
