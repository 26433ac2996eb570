using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace Exports.Sdk.Sources.Files.Tests;

public sealed class FileDatasetSourceTests : IAsyncDisposable
{
    private static readonly List<ExportColumn> OrderColumns =
    [
        new("id", ExportColumnType.Int64),
        new("customer", ExportColumnType.String),
        new("qty", ExportColumnType.Int32),
        new("price", ExportColumnType.Decimal),
        new("ratio", ExportColumnType.Double),
        new("gift", ExportColumnType.Boolean),
        new("day", ExportColumnType.Date),
        new("at", ExportColumnType.Timestamp),
        new("ref", ExportColumnType.Guid),
    ];

    private readonly string _input = Directory.CreateTempSubdirectory("exports-files-in-").FullName;
    private readonly string _output = Directory.CreateTempSubdirectory("exports-files-out-").FullName;
    private ServiceProvider? _provider;

    [Fact]
    public async Task Csv_DeclaredColumnsGzip_ExportsTypedValues()
    {
        var path = Path.Combine(_input, "orders.csv.gz");
        await WriteGzipAsync(path, """
            id,customer,qty,price,ratio,gift,day,at,ref
            1,"Smith, Jr.",3,19.99,0.5,true,2026-01-31,2026-01-31T10:00:00.123Z,0f8fad5b-d9cb-469f-a165-70867728950e
            2,"O""Neil",,0.01,,false,2026-02-01,2026-02-01 08:00:00,
            """);
        var runner = Runner(d => d["orders"] = new FileDataset { Path = path, Columns = OrderColumns });

        var result = await runner.RunAsync(Export("orders"), new DatasetRunRequest());

        result.Status.Should().Be(ExportRunStatus.Succeeded, string.Join(" ", result.Errors));
        var rows = ReadJsonLines(result);
        rows.Should().HaveCount(2);
        rows[0].GetProperty("customer").GetString().Should().Be("Smith, Jr.");
        rows[0].GetProperty("price").GetDecimal().Should().Be(19.99m);
        rows[0].GetProperty("gift").GetBoolean().Should().BeTrue();
        rows[0].GetProperty("day").GetString().Should().Be("2026-01-31");
        rows[0].GetProperty("at").GetDateTimeOffset().Should().Be(new DateTimeOffset(2026, 1, 31, 10, 0, 0, 123, TimeSpan.Zero));
        rows[0].GetProperty("ref").GetGuid().Should().Be(Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"));
        rows[1].GetProperty("customer").GetString().Should().Be("O\"Neil");
        rows[1].GetProperty("qty").ValueKind.Should().Be(JsonValueKind.Null);
        rows[1].GetProperty("at").GetDateTimeOffset().Should().Be(new DateTimeOffset(2026, 2, 1, 8, 0, 0, TimeSpan.Zero), "times without a zone are UTC");
        rows[1].GetProperty("ref").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Fact]
    public async Task Csv_NoDeclaredColumns_TextColumnsFromHeader()
    {
        var path = Path.Combine(_input, "people.csv");
        await File.WriteAllTextAsync(path, "name;city\nAna;Lisboa\nBo;\n");
        var source = new FileDatasetSource("files", new Dictionary<string, FileDataset> { ["people"] = new() { Path = path } }, [new CsvDatasetFileReader()]);

        var info = await source.ListDatasetsAsync().SingleAsync();

        info.Schema.Should().Equal(new ExportColumn("name", ExportColumnType.String), new ExportColumn("city", ExportColumnType.String));
        var values = new List<string?>();
        await foreach (var batch in source.ReadRowsAsync(new DatasetReadRequest("people")))
        {
            for (var r = 0; r < batch.Count; r++)
            {
                values.Add($"{batch.GetString(r, 0)}|{batch.GetString(r, 1) ?? "null"}");
            }
        }

        values.Should().Equal("Ana|Lisboa", "Bo|null");
    }

    [Fact]
    public async Task Csv_ValueNotOfDeclaredType_FailsNamingFileRecordAndColumn()
    {
        var path = Path.Combine(_input, "bad.csv");
        await File.WriteAllTextAsync(path, "id,qty\n1,2\n2,many\n");
        var runner = Runner(d => d["bad"] = new FileDataset { Path = path, Columns = [new("id", ExportColumnType.Int64), new("qty", ExportColumnType.Int32)] });

        var result = await runner.RunAsync(Export("bad"), new DatasetRunRequest());

        result.Status.Should().Be(ExportRunStatus.Failed);
        result.Errors.Should().ContainSingle().Which.Should().Contain("Dataset export 'files-export'").And.Contain("'bad.csv'").And.Contain("record 2").And.Contain("'many'").And.Contain("'qty'").And.Contain("Int32");
        Directory.EnumerateFileSystemEntries(_output).Should().BeEmpty();
    }

    [Fact]
    public async Task JsonLines_NestedObjects_ReadAsDottedColumnsAndExportedBackNested()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_input, "clicks")).FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "part-1.jsonl"),
            """
            {"id":1,"person":{"email":"a@example.com","name":{"first":"Ana"}},"score":1.5,"ok":true,"tags":["x"]}
            {"id":2,"person":{"email":"b@example.com","name":{"first":null}},"score":2,"ok":false}

            """);
        await File.WriteAllTextAsync(Path.Combine(folder, "part-2.jsonl"), """{"id":3,"person":{"email":"c\u00e9@example.com"},"ok":true,"score":null}""" + "\n");
        var runner = Runner(d => d["clicks"] = new FileDataset { Path = folder });

        var result = await runner.RunAsync(Export("clicks"), new DatasetRunRequest());

        result.Status.Should().Be(ExportRunStatus.Succeeded, string.Join(" ", result.Errors));
        var manifest = ManifestWriter.Read(File.ReadAllBytes(Path.Combine(_output, result.ManifestPath!)));
        manifest.Columns.Select(c => $"{c.Name}:{c.Type}").Should().Equal("id:int64", "person.email:string", "person.name.first:string", "score:double", "ok:boolean");
        var rows = ReadJsonLines(result);
        rows.Select(r => r.GetProperty("person").GetProperty("email").GetString()).Should().Equal("a@example.com", "b@example.com", "cé@example.com");
        rows[0].GetProperty("person").GetProperty("name").GetProperty("first").GetString().Should().Be("Ana");
        rows[1].GetProperty("score").GetDouble().Should().Be(2);
        rows[2].GetProperty("score").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Fact]
    public async Task Parquet_FolderOfExportedParts_ReadBackIncrementallyByWatermark()
    {
        // Write three Parquet parts with the SDK itself, then use them as a file dataset.
        var schema = new ExportSchema([.. OrderColumns]);
        var rows = Enumerable.Range(1, 25).Select(i => new object?[]
        {
            (long)i, $"customer {i}", i % 4 == 0 ? null : i, i * 1.25m, i / 8.0, i % 2 == 0, new DateOnly(2026, 1, 1).AddDays(i),
            new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddHours(i), Guid.CreateVersion7(),
        }).ToList();
        var parquetFolder = Path.Combine(_input, "parquet");
        var services = new ServiceCollection();
        services.AddExports().UseInMemoryExportStore().AddParquetFormat()
            .AddDatasetSource("mem", new InMemoryDatasetSource().AddDataset("orders", schema, rows))
            .AddLocalFolderDestination("pq", parquetFolder, d => { d.Output.Format.Name = "parquet"; d.Output.MaxRowsPerFile = 10; d.Output.WriteManifest = false; });
        await using (var writer = services.BuildServiceProvider())
        {
            var written = await writer.GetRequiredService<IDatasetExportRunner>().RunAsync(
                new DatasetExportDefinition { Id = "seed", Source = "mem", Destination = "pq", DatasetId = "orders" }, new DatasetRunRequest());
            written.Files.Should().HaveCount(3);
        }

        var partsFolder = Directory.GetDirectories(Path.Combine(parquetFolder, "orders")).Single();
        var runner = Runner(d => d["orders"] = new FileDataset { Path = partsFolder }, parquet: true);
        var export = Export("orders");
        export.WatermarkColumn = "at";

        var result = await runner.RunAsync(export, new DatasetRunRequest { Since = DatasetWatermark.FromTimestamp(new DateTimeOffset(2026, 1, 1, 20, 0, 0, TimeSpan.Zero)) });

        result.Status.Should().Be(ExportRunStatus.Succeeded, string.Join(" ", result.Errors));
        result.RowsRead.Should().Be(25);
        var exported = ReadJsonLines(result);
        exported.Select(r => r.GetProperty("id").GetInt64()).Should().Equal(21, 22, 23, 24, 25);
        exported[3].GetProperty("qty").ValueKind.Should().Be(JsonValueKind.Null);
        exported[0].GetProperty("price").GetDecimal().Should().Be(26.25m);
        exported[0].GetProperty("ref").GetGuid().Should().Be((Guid)rows[20][8]!);
        result.Entries[0].Watermark.Should().Be(DatasetWatermark.FromTimestamp(new DateTimeOffset(2026, 1, 2, 1, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public async Task Folder_FilesWithDifferentColumns_FailsNamingFile()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_input, "mixed")).FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "a.csv"), "id,name\n1,x\n");
        await File.WriteAllTextAsync(Path.Combine(folder, "b.csv"), "id,email\n2,y\n");
        var runner = Runner(d => d["mixed"] = new FileDataset { Path = folder });

        var result = await runner.RunAsync(Export("mixed"), new DatasetRunRequest());

        result.Errors.Should().ContainSingle().Which.Should().Contain("'b.csv'").And.Contain("no column 'name'");
        Directory.GetFiles(_output, "*", SearchOption.AllDirectories).Should().BeEmpty("the rolled-back part of a.csv is deleted");
    }

    public async ValueTask DisposeAsync()
    {
        if (_provider is not null)
        {
            await _provider.DisposeAsync();
        }

        Directory.Delete(_input, recursive: true);
        Directory.Delete(_output, recursive: true);
    }

    private static DatasetExportDefinition Export(string dataset) => new() { Id = "files-export", Source = "files", Destination = "out", DatasetId = dataset };

    private static async Task WriteGzipAsync(string path, string text)
    {
        await using var gzip = new GZipStream(File.Create(path), CompressionLevel.Fastest);
        await gzip.WriteAsync(Encoding.UTF8.GetBytes(text));
    }

    private IDatasetExportRunner Runner(Action<IDictionary<string, FileDataset>> datasets, bool parquet = false)
    {
        var services = new ServiceCollection();
        var builder = services.AddExports().UseInMemoryExportStore();
        if (parquet)
        {
            builder.AddParquetFormat();
        }

        builder.AddFileDatasetSource("files", datasets)
            .AddLocalFolderDestination("out", _output, d => d.Output.Format.Name = "jsonl");
        _provider = services.BuildServiceProvider();
        return _provider.GetRequiredService<IDatasetExportRunner>();
    }

    private List<JsonElement> ReadJsonLines(ExportRunResult result) =>
        [.. result.Files.SelectMany(f => File.ReadAllLines(Path.Combine(_output, f.Path))).Select(l => JsonDocument.Parse(l).RootElement)];
}
