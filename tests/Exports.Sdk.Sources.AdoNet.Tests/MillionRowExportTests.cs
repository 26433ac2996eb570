using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using CsvHelper;
using DuckDB.NET.Data;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Exports.Sdk.Sources.AdoNet.Tests;

public sealed class MillionRowExportTests(OrdersDatabase database, ITestOutputHelper output) : IClassFixture<OrdersDatabase>
{
    private const string Columns = "id, customer_email, country, amount, quantity, score, is_gift, created_at, note";

    [Theory]
    [InlineData("csv")]
    [InlineData("jsonl")]
    [InlineData("parquet")]
    public async Task DatasetExport_MillionRowSqliteTable_CountAndChecksumMatchDirectQuery(string format)
    {
        var root = Directory.CreateTempSubdirectory($"exports-sql-{format}-").FullName;
        try
        {
            var services = new ServiceCollection();
            services.AddExports().UseInMemoryExportStore()
                .AddParquetFormat()
                .AddAdoNetSource("shop", o =>
                {
                    o.ConnectionFactory = () => new SqliteConnection(database.ConnectionString);
                    o.Datasets["orders"] = new AdoNetDatasetQuery { Sql = $"SELECT {Columns} FROM orders" };
                    o.ColumnTypes["amount"] = ExportColumnType.Decimal;
                    o.ColumnTypes["is_gift"] = ExportColumnType.Boolean;
                    o.ColumnTypes["created_at"] = ExportColumnType.Timestamp;
                })
                .AddLocalFolderDestination("lake", root, d =>
                {
                    d.Output.Format.Name = format;
                    d.Output.Format.Compression = format == "csv" ? ExportCompression.Gzip : ExportCompression.None;
                    d.Output.MaxRowsPerFile = 400_000;
                });
            await using var provider = services.BuildServiceProvider();
            var runner = provider.GetRequiredService<IDatasetExportRunner>();

            var watch = Stopwatch.StartNew();
            var result = await runner.RunAsync(new DatasetExportDefinition { Id = "orders-daily", Source = "shop", Destination = "lake", DatasetId = "orders" }, new DatasetRunRequest());
            var exportTime = watch.Elapsed;

            result.Status.Should().Be(ExportRunStatus.Succeeded, string.Join(" ", result.Errors));
            result.RowsExported.Should().Be(OrdersDatabase.RowCount);
            result.Files.Select(f => f.Rows).Should().Equal(400_000L, 400_000L, 200_000L);
            var paths = result.Files.Select(f => Path.Combine(root, f.Path)).ToList();
            watch.Restart();
            var exported = format switch
            {
                "csv" => ReadCsv(paths),
                "jsonl" => ReadJsonLines(paths),
                _ => ReadParquet(paths),
            };
            var readTime = watch.Elapsed;
            var direct = database.DirectChecksum();

            exported.Rows.Should().Be(direct.Rows);
            exported.Value.Should().Be(direct.Checksum);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{format}: exported {result.RowsExported:N0} rows in {exportTime.TotalSeconds:F1} s ({result.RowsExported / exportTime.TotalSeconds:N0} rows/s), {result.Bytes / 1048576.0:F1} MiB in {result.Files.Count()} files; read back in {readTime.TotalSeconds:F1} s"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static RowChecksum ReadCsv(List<string> paths)
    {
        var checksum = new RowChecksum();
        foreach (var path in paths)
        {
            using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
            using var csv = CsvReader.Create(gzip, null, false);
            while (csv.Read())
            {
                checksum.Add(
                    long.Parse(csv.GetString(0), CultureInfo.InvariantCulture),
                    csv.GetString(1),
                    csv.GetString(2),
                    decimal.Parse(csv.GetString(3), CultureInfo.InvariantCulture),
                    long.Parse(csv.GetString(4), CultureInfo.InvariantCulture),
                    csv.IsEmpty(5) ? null : double.Parse(csv.GetString(5), CultureInfo.InvariantCulture),
                    bool.Parse(csv.GetString(6)),
                    DateTime.Parse(csv.GetString(7), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal),
                    csv.IsEmpty(8) ? null : csv.GetString(8));
            }
        }

        return checksum;
    }

    private static RowChecksum ReadJsonLines(List<string> paths)
    {
        var checksum = new RowChecksum();
        foreach (var line in paths.SelectMany(File.ReadLines))
        {
            using var json = JsonDocument.Parse(line);
            var o = json.RootElement;
            checksum.Add(
                o.GetProperty("id").GetInt64(),
                o.GetProperty("customer_email").GetString()!,
                o.GetProperty("country").GetString()!,
                o.GetProperty("amount").GetDecimal(),
                o.GetProperty("quantity").GetInt64(),
                o.GetProperty("score").ValueKind == JsonValueKind.Null ? null : o.GetProperty("score").GetDouble(),
                o.GetProperty("is_gift").GetBoolean(),
                o.GetProperty("created_at").GetDateTime().ToUniversalTime(),
                o.GetProperty("note").GetString());
        }

        return checksum;
    }

    private static RowChecksum ReadParquet(List<string> paths)
    {
        var checksum = new RowChecksum();
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT id, customer_email, country, amount, quantity, score, is_gift, epoch_ms(created_at), note " +
            $"FROM read_parquet([{string.Join(", ", paths.Select(p => $"'{p}'"))}], hive_partitioning = false)";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            checksum.Add(
                reader.GetInt64(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetDecimal(3),
                reader.GetInt64(4),
                reader.IsDBNull(5) ? null : reader.GetDouble(5),
                reader.GetBoolean(6),
                DateTime.UnixEpoch.AddMilliseconds(reader.GetInt64(7)),
                reader.IsDBNull(8) ? null : reader.GetString(8));
        }

        return checksum;
    }
}
