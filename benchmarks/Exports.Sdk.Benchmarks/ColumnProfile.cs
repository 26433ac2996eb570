using System.Diagnostics;

namespace Exports.Sdk.Benchmarks;

/// <summary>
/// Where formatting time goes (run with --columns): each text formatter on one core, on all columns and then on each
/// column alone, in nanoseconds per row (best of five passes over 1M rows, no I/O), after ten untimed passes on all
/// columns so that tiered compilation has settled. A column alone still pays the per-row cost (loop, line break),
/// visible as the floor of the cheapest column.
/// </summary>
internal static class ColumnProfile
{
    public static void Run()
    {
        var batches = BenchmarkRows.Generate(1_000_000).Where(b => b.Count == RowBatch.DefaultCapacity).ToList();
        var all = BenchmarkRows.Columns(batches[0].Schema);
        var rows = Enumerable.Range(0, RowBatch.DefaultCapacity).ToArray();
        var count = batches.Count * (double)RowBatch.DefaultCapacity;
        foreach (var json in new[] { false, true })
        {
            for (var c = -1; c < all.Length; c++)
            {
                OutputColumn[] columns = c < 0 ? all : [all[c]];
                Utf8RowFormatter formatter = json
                    ? new JsonLinesRowFormatter(JsonObjectLayout.Create(columns, "profile"), columns)
                    : new CsvRowFormatter(new FormatWriterContext(columns, new FileFormatOptions(), "profile"));
                var vectors = batches.Select(b => columns.Select(column => b.GetVector(column.Ordinal)).ToArray()).ToArray();
                var best = double.MaxValue;
                for (var pass = c < 0 ? -10 : 0; pass < 5; pass++)
                {
                    var clock = Stopwatch.StartNew();
                    foreach (var batch in vectors)
                    {
                        formatter.FormatAll(batch, rows);
                        formatter.Reset();
                    }

                    if (pass >= 0)
                    {
                        best = Math.Min(best, clock.Elapsed.TotalSeconds);
                    }
                }

                formatter.Dispose();
                var name = c < 0 ? "all columns" : $"{all[c].Name} ({all[c].Type})";
                Console.WriteLine($"{(json ? "JSON Lines" : "CSV"),-10} {name,-55} {best / count * 1e9,6:F1} ns/row");
            }
        }
    }
}
