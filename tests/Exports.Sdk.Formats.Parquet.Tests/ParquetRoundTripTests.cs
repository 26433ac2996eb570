using System.Globalization;

namespace Exports.Sdk.Formats.Parquet.Tests;

public class ParquetRoundTripTests
{
    private static readonly ExportSchema Schema = new(
        new ExportColumn("id", ExportColumnType.Int64),
        new ExportColumn("person.name.firstName", ExportColumnType.String),
        new ExportColumn("count", ExportColumnType.Int32),
        new ExportColumn("score", ExportColumnType.Double),
        new ExportColumn("amount", ExportColumnType.Decimal),
        new ExportColumn("active", ExportColumnType.Boolean),
        new ExportColumn("birthDate", ExportColumnType.Date),
        new ExportColumn("seenAt", ExportColumnType.Timestamp),
        new ExportColumn("profileId", ExportColumnType.Guid));

    // Every type at its edges, and a row of nulls. Timestamps have microsecond precision (Parquet's unit here).
    private static readonly object?[][] Rows =
    [
        [1L, "Amélie", 0, 0.0, 0m, true, new DateOnly(2024, 2, 29), new DateTimeOffset(2024, 2, 29, 23, 59, 58, TimeSpan.Zero).AddTicks(1234560), Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e")],
        [long.MaxValue, "O\"Neil, \"Doc\"\nline two", int.MaxValue, double.MaxValue, 9999999999.999999999999999999m, false, new DateOnly(1900, 1, 1), new DateTimeOffset(1969, 12, 31, 23, 59, 59, TimeSpan.Zero), Guid.Parse("ffffffff-ffff-ffff-ffff-ffffffffffff")],
        [long.MinValue, "", int.MinValue, -1.5e-300, -1234567890.123456789012345678m, true, new DateOnly(9999, 12, 31), new DateTimeOffset(2026, 1, 1, 8, 30, 0, TimeSpan.FromHours(2)), Guid.Empty],
        [4L, "日本語 😀", 42, double.NaN, 0.000000000000000001m, false, DateOnly.MinValue.AddDays(1), new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero), Guid.Parse("00112233-4455-6677-8899-aabbccddeeff")],
        [5L, null, null, null, null, null, null, null, null],
    ];

    public static TheoryData<string, string> Codecs => new()
    {
        { "snappy", "SNAPPY" },
        { "zstd", "ZSTD" },
        { "gzip", "GZIP" },
        { "none", "UNCOMPRESSED" },
    };

    [Theory]
    [MemberData(nameof(Codecs))]
    public async Task Export_EveryTypeWithNulls_DuckDbReadsIdenticalValuesAndTypes(string codec, string duckDbCodec)
    {
        var source = new InMemoryDatasetSource().AddDataset("events", Schema, Rows);
        await using var host = new ExportHost(d => d.Output.Format.Settings["codec"] = codec, datasets: source);

        var result = await host.Datasets.RunAsync(Export(), new DatasetRunRequest { RunId = "r1" });

        result.Status.Should().Be(ExportRunStatus.Succeeded, string.Join(" ", result.Errors));
        var path = host.FullPath(result.Files.Single().Path);
        DuckDb.Describe(path).Should().Equal(new Dictionary<string, string>
        {
            ["id"] = "BIGINT",
            ["person.name.firstName"] = "VARCHAR",
            ["count"] = "INTEGER",
            ["score"] = "DOUBLE",
            ["amount"] = "DECIMAL(38,18)",
            ["active"] = "BOOLEAN",
            ["birthDate"] = "DATE",
            ["seenAt"] = "TIMESTAMP WITH TIME ZONE",
            ["profileId"] = "UUID",
        });
        DuckDb.Query($"SELECT DISTINCT compression FROM parquet_metadata('{path}')").Select(r => (string)r[0]!)
            .Should().Equal(duckDbCodec);

        var read = DuckDb.Query(
            "SELECT id, \"person.name.firstName\", count, score, amount, active, CAST(birthDate AS VARCHAR), epoch_us(seenAt), CAST(profileId AS VARCHAR) " +
            $"FROM read_parquet('{path}', hive_partitioning = false) ORDER BY id");
        var expected = Rows.OrderBy(r => (long)r[0]!).ToList();
        read.Should().HaveCount(expected.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var e = expected[i];
            var a = read[i];
            a[0].Should().Be(e[0]);
            a[1].Should().Be(e[1]);
            a[2].Should().Be(e[2]);
            if (e[3] is double d && double.IsNaN(d))
            {
                ((double)a[3]!).Should().Be(double.NaN);
            }
            else
            {
                a[3].Should().Be(e[3]);
            }

            a[4].Should().Be(e[4]);
            a[5].Should().Be(e[5]);
            a[6].Should().Be(e[6] is DateOnly date ? date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null);
            a[7].Should().Be(e[7] is DateTimeOffset ts ? (ts.UtcTicks - DateTime.UnixEpoch.Ticks) / 10 : null);
            a[8].Should().Be(e[8]?.ToString());
        }
    }

    [Fact]
    public async Task DatasetFileReader_FileWrittenByExport_ReadsSameValues()
    {
        var source = new InMemoryDatasetSource().AddDataset("events", Schema, Rows);
        await using var host = new ExportHost(_ => { }, datasets: source);
        var result = await host.Datasets.RunAsync(Export(), new DatasetRunRequest());
        var path = host.FullPath(result.Files.Single().Path);

        var reader = new ParquetDatasetFileReader();
        var context = new DatasetFileReadContext("events", path);
        var schema = await reader.ReadSchemaAsync(context);
        var values = new List<object?[]>();
        await foreach (var batch in reader.ReadAsync(context))
        {
            for (var r = 0; r < batch.Count; r++)
            {
                values.Add([.. Enumerable.Range(0, batch.Schema.Count).Select(c => batch.GetValue(r, c))]);
            }
        }

        schema.Should().Equal(Schema);
        values.Should().HaveCount(Rows.Length);
        for (var i = 0; i < Rows.Length; i++)
        {
            for (var c = 0; c < Schema.Count; c++)
            {
                var expected = Rows[i][c] is DateTimeOffset ts ? ts.ToUniversalTime() : Rows[i][c];
                values[i][c].Should().Be(expected, $"row {i} column {Schema[c].Name}");
            }
        }
    }

    [Fact]
    public async Task Export_DecimalTooLargeForPrecision_FailsNamingColumnAndLeavesNothing()
    {
        var schema = new ExportSchema(new ExportColumn("id", ExportColumnType.Int64), new ExportColumn("amount", ExportColumnType.Decimal));
        var source = new InMemoryDatasetSource().AddDataset("ledger", schema, [[1L, 1.5m], [2L, 123456.5m]]);
        await using var host = new ExportHost(d =>
        {
            d.Output.Format.Settings["decimalPrecision"] = "9";
            d.Output.Format.Settings["decimalScale"] = "4";
        }, datasets: source);

        var result = await host.Datasets.RunAsync(new DatasetExportDefinition { Id = "ledger-daily", Source = "mem", Destination = "lake", DatasetId = "ledger" }, new DatasetRunRequest());

        result.Status.Should().Be(ExportRunStatus.Failed);
        result.Errors.Should().ContainSingle().Which.Should().Contain("ledger-daily").And.Contain("'ledger'").And.Contain("'amount'").And.Contain("123456.5").And.Contain("decimal(9,4)");
        host.Files().Should().BeEmpty();
    }

    private static DatasetExportDefinition Export() => new() { Id = "events-export", Source = "mem", Destination = "lake", DatasetId = "events" };
}
