using System.Globalization;
using BenchmarkDotNet.Attributes;
using CsvHelper;
using Exports.Sdk.Testing;

namespace Exports.Sdk.Benchmarks;

/// <summary>
/// The streaming partitioned writer on 1M synthetic profile rows (11 columns), rows already in memory, output to an
/// in-memory destination that discards nothing (so the cost of storage is a memcpy). CsvHelper writing the same
/// values is the baseline.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class WriterBenchmarks
{
    private const int Rows = 1_000_000;
    private List<RowBatch> _batches = [];
    private int[] _selection = [];

    [GlobalSetup]
    public void Setup()
    {
        _batches = BenchmarkRows.Generate(Rows);
        _selection = [.. Enumerable.Range(0, RowBatch.DefaultCapacity)];
    }

    [Benchmark(Baseline = true, Description = "CsvHelper WriteField")]
    public long CsvHelperWriteField()
    {
        using var stream = new CountingNullStream();
        using (var csv = CsvWriter.Create(stream, new CsvWriterOptions { HasHeader = false }, true))
        {
            var schema = _batches[0].Schema;
            foreach (var column in schema)
            {
                csv.WriteField(column.Name);
            }

            csv.EndRecord();
            foreach (var batch in _batches)
            {
                for (var r = 0; r < batch.Count; r++)
                {
                    csv.WriteField(batch.GetGuid(r, 0));
                    csv.WriteField(batch.GetString(r, 1));
                    csv.WriteField(batch.GetString(r, 2));
                    csv.WriteField(batch.GetString(r, 3));
                    csv.WriteField(batch.GetString(r, 4));
                    csv.WriteField(batch.GetDate(r, 5).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                    csv.WriteField(batch.GetInt32(r, 6));
                    csv.WriteField(batch.GetDecimal(r, 7));
                    csv.WriteField(batch.GetTimestamp(r, 8).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
                    csv.WriteField(batch.GetString(r, 9));
                    csv.WriteField(batch.GetTimestamp(r, 10).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
                    csv.EndRecord();
                }
            }
        }

        return stream.Length;
    }

    [Benchmark(Description = "SDK CSV")]
    public Task<long> Csv() => WriteAsync("csv", ExportCompression.None);

    [Benchmark(Description = "SDK CSV.gz")]
    public Task<long> CsvGzip() => WriteAsync("csv", ExportCompression.Gzip);

    [Benchmark(Description = "SDK JSON Lines")]
    public Task<long> JsonLines() => WriteAsync("jsonl", ExportCompression.None);

    [Benchmark(Description = "SDK Parquet")]
    public Task<long> Parquet() => WriteAsync("parquet", ExportCompression.None);

    private async Task<long> WriteAsync(string format, ExportCompression compression)
    {
        var destination = new NullDestination();
        IExportFormat exportFormat = format switch
        {
            "csv" => new CsvFormat(),
            "jsonl" => new JsonLinesFormat(),
            _ => new Exports.Sdk.Formats.Parquet.ParquetFormat(),
        };
        var options = new FileFormatOptions { Name = format, Compression = compression };
        await using var writer = new PartitionedFileWriter(new PartitionedFileWriterOptions
        {
            Destination = destination,
            Format = exportFormat,
            FormatContext = new FormatWriterContext(BenchmarkRows.Columns(_batches[0].Schema), options, "benchmark"),
            Compression = compression,
            BaseName = "bench",
            SourceId = BenchmarkRows.AudienceId,
        });
        foreach (var batch in _batches)
        {
            await writer.WriteAsync(batch, _selection.AsMemory(0, batch.Count), default);
        }

        await writer.CompleteAsync(writeWhenEmpty: true, default);
        return writer.BytesWritten;
    }
}
