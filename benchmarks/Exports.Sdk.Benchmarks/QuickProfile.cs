using System.Diagnostics;

namespace Exports.Sdk.Benchmarks;

/// <summary>A quick, unscientific split of where CSV time goes (run with --quick); BenchmarkDotNet gives the real figures.</summary>
internal static class QuickProfile
{
    private static async Task GzipAsync()
    {
        var data = new byte[256 * 1024 * 1024];
        var random = new Random(1);
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = i % 50 == 49 ? (byte)'\n' : (byte)(random.Next(4) == 0 ? '0' + random.Next(10) : 'a' + random.Next(8));
        }

        for (var round = 0; round < 2; round++)
        {
            var clock = Stopwatch.StartNew();
            await using (var gzip = new System.IO.Compression.GZipStream(Stream.Null, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
            {
                for (var o = 0; o < data.Length; o += 96 * 1024)
                {
                    await gzip.WriteAsync(data.AsMemory(o, Math.Min(96 * 1024, data.Length - o)));
                }
            }

            var single = clock.Elapsed.TotalSeconds;
            clock.Restart();
            await using (var gzip = new ParallelGzipStream(Stream.Null, System.IO.Compression.CompressionLevel.Fastest))
            {
                for (var o = 0; o < data.Length; o += 96 * 1024)
                {
                    await gzip.WriteAsync(data.AsMemory(o, Math.Min(96 * 1024, data.Length - o)));
                }
            }

            Console.WriteLine($"gzip 256 MB: GZipStream {256 / single:F0} MB/s, ParallelGzipStream {256 / clock.Elapsed.TotalSeconds:F0} MB/s");
        }
    }

    public static async Task RunAsync()
    {
        await GzipAsync();
        var batches = BenchmarkRows.Generate(1_000_000);
        var columns = BenchmarkRows.Columns(batches[0].Schema);
        var selection = Enumerable.Range(0, RowBatch.DefaultCapacity).ToArray();
        foreach (var parallelism in new[] { 1, 0 })
        {
            for (var round = 0; round < 2; round++)
            {
                var options = new FileFormatOptions { MaxDegreeOfParallelism = parallelism };
                var clock = Stopwatch.StartNew();
                await using (var writer = new CsvFormat().CreateWriter(Stream.Null, new FormatWriterContext(columns, options, "quick")))
                {
                    foreach (var batch in batches)
                    {
                        await writer.WriteAsync(batch, selection.AsMemory(0, batch.Count));
                    }

                    await writer.CompleteAsync();
                }

                var format = clock.Elapsed.TotalSeconds;
                clock.Restart();
                await using (var writer = new PartitionedFileWriter(new PartitionedFileWriterOptions
                {
                    Destination = new NullDestination(),
                    Format = new CsvFormat(),
                    FormatContext = new FormatWriterContext(columns, options, "quick"),
                    ParallelCompression = parallelism != 1,
                    BaseName = "q",
                    SourceId = "q",
                }))
                {
                    foreach (var batch in batches)
                    {
                        await writer.WriteAsync(batch, selection.AsMemory(0, batch.Count), default);
                    }

                    await writer.CompleteAsync(true, default);
                }

                var pipeline = clock.Elapsed.TotalSeconds;
                clock.Restart();
                await using (var writer = new PartitionedFileWriter(new PartitionedFileWriterOptions
                {
                    Destination = new NullDestination(),
                    Format = new CsvFormat(),
                    FormatContext = new FormatWriterContext(columns, options, "quick"),
                    Compression = ExportCompression.Gzip,
                    ParallelCompression = parallelism != 1,
                    BaseName = "q",
                    SourceId = "q",
                }))
                {
                    foreach (var batch in batches)
                    {
                        await writer.WriteAsync(batch, selection.AsMemory(0, batch.Count), default);
                    }

                    await writer.CompleteAsync(true, default);
                }

                Console.WriteLine($"  gzip pipeline {1 / clock.Elapsed.TotalSeconds:F2} M rows/s");
                Console.WriteLine($"parallelism {parallelism}: format only {1 / format:F2} M rows/s, partitioned writer (checksum) {1 / pipeline:F2} M rows/s");
            }
        }
    }
}
