using DuckDB.NET.Data;

namespace Exports.Sdk.Formats.Parquet.Tests;

/// <summary>Reads Parquet files with DuckDB: an implementation independent of Parquet.Net.</summary>
internal static class DuckDb
{
    public static List<object?[]> Query(string sql)
    {
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    public static object? Scalar(string sql) => Query(sql).Single()[0];

    /// <summary>Column name → DuckDB type of a Parquet file.</summary>
    public static Dictionary<string, string> Describe(string path) =>
        Query($"DESCRIBE SELECT * FROM read_parquet('{path}', hive_partitioning = false)").ToDictionary(r => (string)r[0]!, r => (string)r[1]!);
}
