using System.Diagnostics;

namespace Exports.Sdk.Benchmarks;

/// <summary>A quick, unscientific split of where CSV time goes (run with --quick); BenchmarkDotNet gives the real figures.</summary>
internal static class QuickProfile
{
    private static async Task GzipAsync()
    {
        var csv = new MemoryStream();
        var rows = BenchmarkRows.Generate(1_000_000);
        var selection = Enumerable.Range(0, RowBatch.DefaultCapacity).ToArray();
        await using (var writer = new CsvFormat().CreateWriter(csv, new FormatWriterContext(BenchmarkRows.Columns(rows[0].Schema), new FileFormatOptions { MaxDegreeOfParallelism = 1 }, "quick")))
        {
            foreach (var batch in rows)
            {
                await writer.WriteAsync(batch, selection.AsMemory(0, batch.Count));
            }

            await writer.CompleteAsync();
        }

        var data = csv.ToArray();
        Console.WriteLine($"CSV {data.Length / 1048576} MB");

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

            Console.WriteLine($"gzip CSV: GZipStream {data.Length / 1048576.0 / single:F0} MB/s, ParallelGzipStream {data.Length / 1048576.0 / clock.Elapsed.TotalSeconds:F0} MB/s");
        }
    }

    public static async Task RunAsync()
    {
        if (Environment.GetEnvironmentVariable("QUICK_ONLY_PIPE") is { } only)
        {
            var b = BenchmarkRows.Generate(1_000_000);
            var cols = BenchmarkRows.Columns(b[0].Schema);
            var sel = Enumerable.Range(0, RowBatch.DefaultCapacity).ToArray();
            for (var round = 0; round < 3; round++)
            {
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var clock = Stopwatch.StartNew();
                await using (var writer = new PartitionedFileWriter(new PartitionedFileWriterOptions
                {
                    Destination = new NullDestination(),
                    Format = new CsvFormat(),
                    FormatContext = new FormatWriterContext(cols, new FileFormatOptions { MaxDegreeOfParallelism = int.Parse(only, System.Globalization.CultureInfo.InvariantCulture) }, "quick"),
                    Compression = ExportCompression.Gzip,
                    ParallelCompression = true,
                    BaseName = "q",
                    SourceId = "q",
                }))
                {
                    foreach (var batch in b)
                    {
                        await writer.WriteAsync(batch, sel.AsMemory(0, batch.Count), default);
                    }

                    await writer.CompleteAsync(true, default);
                }

                var used = Process.GetCurrentProcess().TotalProcessorTime - cpu;
                Console.WriteLine($"{1 / clock.Elapsed.TotalSeconds:F2} M rows/s, wall {clock.Elapsed.TotalSeconds:F2}s, cpu {used.TotalSeconds:F2}s");
            }

            return;
        }

        await GzipAsync();
        var batches = BenchmarkRows.Generate(1_000_000);
        var columns = BenchmarkRows.Columns(batches[0].Schema);
        var selection = Enumerable.Range(0, RowBatch.DefaultCapacity).ToArray();
        foreach (var (formatParallelism, parallelGzip) in new[] { (1, true), (0, false), (2, true) })
        {
            var clock2 = Stopwatch.StartNew();
            await using (var writer = new PartitionedFileWriter(new PartitionedFileWriterOptions
            {
                Destination = new NullDestination(),
                Format = new CsvFormat(),
                FormatContext = new FormatWriterContext(columns, new FileFormatOptions { MaxDegreeOfParallelism = formatParallelism }, "quick"),
                Compression = ExportCompression.Gzip,
                ParallelCompression = parallelGzip,
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

            Console.WriteLine($"format parallelism {formatParallelism}, parallel gzip {parallelGzip}: {1 / clock2.Elapsed.TotalSeconds:F2} M rows/s");
        }

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
