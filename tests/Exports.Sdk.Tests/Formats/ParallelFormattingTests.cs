using System.IO.Compression;

namespace Exports.Sdk.Tests.Formats;

/// <summary>The multi-core paths write exactly the bytes of the single-thread path, for random rows.</summary>
public class ParallelFormattingTests
{
    private static readonly decimal[] Pow10 = [1m, 10m, 100m, 1_000m, 1_000_000m, 1_000_000_000m, 1_000_000_000_000_000m];

    private static readonly string[] Pieces = ["a", "Zoë", "東京", "😀", ",", ";", "\"", "\n", "\r\n", " ", "\t", "\\", "x y", "", "NULL", "|", ":"];

    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (var format in new[] { "csv", "csv-quoteall", "csv-utf16-noheader", "csv-escape", "jsonl" })
        {
            foreach (var seed in new[] { 1, 2, 3 })
            {
                data.Add(format, seed);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task WriteAsync_ParallelAndSingleThread_WriteTheSameBytes(string format, int seed)
    {
        var (batch, rows) = RandomBatch(seed, 9_000 + (seed * 777));

        var single = await WriteAsync(format, batch, rows, parallelism: 1);
        var parallel = await WriteAsync(format, batch, rows, parallelism: 8);

        parallel.Length.Should().BeGreaterThan(100_000);
        parallel.Should().Equal(single);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    public async Task WriteAsync_PlainRowsAndGeneralRows_WriteTheSameBytes(int seed)
    {
        var (batch, rows) = RandomBatch(seed, 6_000);

        // The default options take the plain-row path; the same ISO formats spelled differently take the general one.
        var plain = await WriteAsync("csv", batch, rows, parallelism: 1);
        var general = await WriteAsync("csv-general", batch, rows, parallelism: 1);

        plain.Length.Should().BeGreaterThan(100_000);
        plain.Should().Equal(general);
    }

    [Fact]
    public async Task WriteAsync_FormattingErrorOnAWorker_SurfacesAsTheExportException()
    {
        var schema = new ExportSchema(new ExportColumn("text", ExportColumnType.String));
        var batch = new RowBatch(schema, 4_000);
        for (var i = 0; i < 4_000; i++)
        {
            batch.SetString(batch.AddRow(), 0, i == 3_999 ? "has,comma" : "plain");
        }

        var act = () => WriteAsync("csv-noquote", batch, Enumerable.Range(0, batch.Count).ToArray(), parallelism: 8);

        (await act.Should().ThrowAsync<ExportException>()).Which.Message.Should().Contain("column 'text'").And.Contain("has,comma");
    }

    [Fact]
    public async Task PartitionedWriter_GzipOnEveryCore_DecompressesToTheSingleThreadBytes()
    {
        var (batch, rows) = RandomBatch(7, 12_000);

        var single = await WriteFileAsync(batch, rows, parallelism: 1);
        var parallel = await WriteFileAsync(batch, rows, parallelism: 0);

        Gunzip(parallel).Should().Equal(Gunzip(single));
    }

    private static async Task<byte[]> WriteFileAsync(RowBatch batch, int[] rows, int parallelism)
    {
        var destination = new Exports.Sdk.Testing.InMemoryDestination();
        var options = new FileFormatOptions { Compression = ExportCompression.Gzip, MaxDegreeOfParallelism = parallelism };
        await using (var writer = new PartitionedFileWriter(new PartitionedFileWriterOptions
        {
            Destination = destination,
            Format = new CsvFormat(),
            FormatContext = new FormatWriterContext(Columns(batch.Schema), options, "test"),
            Compression = ExportCompression.Gzip,
            ParallelCompression = options.EffectiveParallelism > 1,
            BaseName = "f",
            SourceId = "s",
        }))
        {
            await writer.WriteAsync(batch, rows, default);
            await writer.CompleteAsync(true, default);
        }

        return destination.Files["f.csv.gz"];
    }

    private static byte[] Gunzip(byte[] bytes)
    {
        using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
        using var output = new MemoryStream();
        gzip.CopyTo(output);
        return output.ToArray();
    }

    private static async Task<byte[]> WriteAsync(string format, RowBatch batch, int[] rows, int parallelism)
    {
        var options = new FileFormatOptions { MaxDegreeOfParallelism = parallelism };
        options.Csv.QuoteAll = format == "csv-quoteall";
        if (format == "csv-utf16-noheader")
        {
            options.Csv.Encoding = CsvEncoding.Utf16;
            options.Csv.Header = false;
        }

        if (format == "csv-escape")
        {
            options.Csv.Escape = '\\';
            options.Csv.NullValue = "\\N";
        }

        if (format == "csv-general")
        {
            options.Csv.DateFormat = "yyyy'-'MM'-'dd";
            options.Csv.TimestampFormat = "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fff'Z'";
        }

        if (format == "csv-noquote")
        {
            options.Csv.Quote = null;
        }

        IExportFormat exportFormat = format == "jsonl" ? new JsonLinesFormat() : new CsvFormat();
        using var output = new MemoryStream();
        await using (var writer = exportFormat.CreateWriter(output, new FormatWriterContext(Columns(batch.Schema), options, "Dataflow 'd', audience 'a'")))
        {
            // Uneven slices, as the partitioned writer sends them.
            for (var offset = 0; offset < rows.Length;)
            {
                var take = Math.Min(rows.Length - offset, offset % 3 == 0 ? 5_000 : 1_300);
                await writer.WriteAsync(batch, rows.AsMemory(offset, take));
                offset += take;
            }

            await writer.CompleteAsync();
        }

        return output.ToArray();
    }

    private static OutputColumn[] Columns(ExportSchema schema) => [.. schema.Select((c, i) => new OutputColumn(c.Name, c.Type, i))];

    private static (RowBatch Batch, int[] Rows) RandomBatch(int seed, int count)
    {
        var random = new Random(seed);
        var schema = new ExportSchema(
            new ExportColumn("person.name", ExportColumnType.String),
            new ExportColumn("person.note", ExportColumnType.String),
            new ExportColumn("id", ExportColumnType.Guid),
            new ExportColumn("n.i32", ExportColumnType.Int32),
            new ExportColumn("n.i64", ExportColumnType.Int64),
            new ExportColumn("n.dbl", ExportColumnType.Double),
            new ExportColumn("n.dec", ExportColumnType.Decimal),
            new ExportColumn("flag", ExportColumnType.Boolean),
            new ExportColumn("day", ExportColumnType.Date),
            new ExportColumn("at", ExportColumnType.Timestamp));
        var batch = new RowBatch(schema, count);
        for (var i = 0; i < count; i++)
        {
            var row = batch.AddRow();
            for (var c = 0; c < schema.Count; c++)
            {
                if (random.Next(12) == 0)
                {
                    continue;
                }

                switch (schema[c].Type)
                {
                    case ExportColumnType.String:
                        batch.SetString(row, c, string.Concat(Enumerable.Range(0, random.Next(0, 6)).Select(_ => Pieces[random.Next(Pieces.Length)])));
                        break;
                    case ExportColumnType.Guid: batch.SetGuid(row, c, new Guid(random.Next(), 1, 2, 3, 4, 5, 6, 7, 8, 9, 10)); break;
                    case ExportColumnType.Int32: batch.SetInt32(row, c, random.Next(int.MinValue, int.MaxValue)); break;
                    case ExportColumnType.Int64: batch.SetInt64(row, c, random.NextInt64(long.MinValue, long.MaxValue)); break;
                    case ExportColumnType.Double: batch.SetDouble(row, c, (random.NextDouble() - 0.5) * 1e6); break;
                    case ExportColumnType.Decimal: batch.SetDecimal(row, c, new decimal(random.NextInt64(-10_000_000_000_000, 10_000_000_000_000)) / Pow10[random.Next(Pow10.Length)]); break;
                    case ExportColumnType.Boolean: batch.SetBoolean(row, c, random.Next(2) == 1); break;
                    case ExportColumnType.Date: batch.SetDate(row, c, DateOnly.FromDayNumber(random.Next(1, 3_000_000))); break;
                    case ExportColumnType.Timestamp: batch.SetTimestamp(row, c, new DateTimeOffset(random.NextInt64(0, DateTime.MaxValue.Ticks), TimeSpan.Zero)); break;
                }
            }
        }

        // Out of order and with gaps, like a filtered selection.
        var rows = Enumerable.Range(0, count).Where(_ => random.Next(10) != 0).OrderBy(_ => random.Next()).ToArray();
        return (batch, rows);
    }
}
