using Npgsql;

namespace Exports.Sdk.Sources.AdoNet.Tests;

/// <summary>
/// One query read two ways on PostgreSQL: through the ADO.NET source, as an export reads it, and by Npgsql's own reader,
/// the independent reading the source's values are compared with.
/// </summary>
internal static class PostgresReads
{
    /// <summary>Reads <paramref name="sql"/> as a dataset of the source, one item a row.</summary>
    public static async Task<List<T>> ThroughSourceAsync<T>(string connectionString, string sql, Func<RowBatch, int, T> map)
    {
        var source = new AdoNetSource("warehouse", new AdoNetSourceOptions
        {
            ConnectionFactory = () => new NpgsqlConnection(connectionString),
            Datasets = { ["rows"] = new AdoNetDatasetQuery { Sql = sql } },
        });
        var rows = new List<T>();
        await foreach (var batch in source.ReadRowsAsync(new DatasetReadRequest("rows")))
        {
            for (var row = 0; row < batch.Count; row++)
            {
                rows.Add(map(batch, row));
            }
        }

        return rows;
    }

    /// <summary>Reads <paramref name="sql"/> with Npgsql's reader, one item a row.</summary>
    public static async Task<List<T>> WithNpgsqlAsync<T>(string connectionString, string sql, Func<NpgsqlDataReader, T> map)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
        {
            rows.Add(map(reader));
        }

        return rows;
    }
}
