using System.Diagnostics;

namespace Exports.Sdk.Benchmarks;

/// <summary>
/// A quick, unscientific split of where CSV time goes (run with --quick): formatting alone, the partitioned writer
/// (with SHA-256) and the gzip pipeline, each with one core and with all cores, plus wall and CPU time. BenchmarkDotNet
/// gives the real figures.
/// </summary>
internal static class QuickProfile
{
    public static async Task RunAsync()
    {
        var batches = BenchmarkRows.Generate(1_000_000);
        var columns = BenchmarkRows.Columns(batches[0].Schema);
        var selection = Enumerable.Range(0, RowBatch.DefaultCapacity).ToArray();
        // Four rounds of each: the first ones still run code the JIT has not finished optimising.
        foreach (var parallelism in new[] { 1, 0, 1, 0, 1, 0, 1, 0 })
        {
            var options = new FileFormatOptions { MaxDegreeOfParallelism = parallelism };
            var format = await TimeAsync(async () =>
            {
                await using var writer = new CsvFormat().CreateWriter(Stream.Null, new FormatWriterContext(columns, options, "quick"));
                foreach (var batch in batches)
                {
                    await writer.WriteAsync(batch, selection.AsMemory(0, batch.Count));
                }

                await writer.CompleteAsync();
            });
            var plain = await TimeAsync(() => WritePartAsync(batches, selection, columns, options, ExportCompression.None));
            var gzip = await TimeAsync(() => WritePartAsync(batches, selection, columns, options, ExportCompression.Gzip));
            Console.WriteLine($"parallelism {parallelism}: format only {format}, partitioned writer {plain}, gzip {gzip}");
        }
    }

    private static async Task WritePartAsync(List<RowBatch> batches, int[] selection, OutputColumn[] columns, FileFormatOptions options, ExportCompression compression)
    {
        await using var writer = new PartitionedFileWriter(new PartitionedFileWriterOptions
        {
            Destination = new NullDestination(),
            Format = new CsvFormat(),
            FormatContext = new FormatWriterContext(columns, options, "quick"),
            Compression = compression,
            ParallelCompression = options.EffectiveParallelism > 1,
            BaseName = "q",
            SourceId = "q",
        });
        foreach (var batch in batches)
        {
            await writer.WriteAsync(batch, selection.AsMemory(0, batch.Count), default);
        }

        await writer.CompleteAsync(true, default);
    }

    /// <summary>Rows per second for the 1M rows, and how many cores the run kept busy.</summary>
    private static async Task<string> TimeAsync(Func<Task> run)
    {
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        await run();
        clock.Stop();
        process.Refresh();
        var cores = (process.TotalProcessorTime - cpu).TotalSeconds / clock.Elapsed.TotalSeconds;
        return $"{1 / clock.Elapsed.TotalSeconds:F2} M rows/s ({cores:F1} cores)";
    }
}
