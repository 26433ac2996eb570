using System.Diagnostics;

namespace Exports.Sdk.Benchmarks;

/// <summary>A quick, unscientific split of where CSV time goes (run with --quick); BenchmarkDotNet gives the real figures.</summary>
internal static class QuickProfile
{
    public static async Task RunAsync()
    {
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
                Console.WriteLine($"parallelism {parallelism}: format only {1 / format:F2} M rows/s, partitioned writer (checksum) {1 / pipeline:F2} M rows/s");
            }
        }
    }
}
