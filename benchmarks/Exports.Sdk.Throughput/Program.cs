using System.Diagnostics;
using DuckDB.NET.Data;
using System.Globalization;
using System.Runtime;
using Exports.Sdk;
using Exports.Sdk.Testing;
using Exports.Sdk.Throughput;

// Throughput: dotnet run -c Release --project benchmarks/Exports.Sdk.Throughput -- [--rows 2000000] [--runs 3] [--warmup 2] [--only "SDK CSV;DuckDB COPY CSV"]
// Profiling:  dotnet run -c Release --project benchmarks/Exports.Sdk.Throughput -- --repeat csv.gz [--runs 8] [--parallelism 1]
// A/B:        … -- --repeat csv --runs 20 (--ab Exports.Sdk.MyExperiment | --ab-batch 16384)
// Memory:     dotnet run -c Release --project benchmarks/Exports.Sdk.Throughput -- --scale [--sizes 100000,1000000,10000000]
// Every goal: scripts/services.sh start; dotnet run -c Release --project benchmarks/Exports.Sdk.Throughput -- --e2e [--rows 2000000] [--e2e-rows 5000000] [--runs 3]
// Scaling:    … -- --scale-pg --sizes 100000,1000000,10000000,50000000 --plot docs/performance/scaling.png
var options = Args.Parse(args);
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

if (options.Child is { } childFormat)
{
    return await ScaleChild.RunAsync(childFormat, options.Rows, options.Folder);
}

if (args.Contains("--e2e"))
{
    // One run prints every ratio: the formatter cases on generated rows, then the end-to-end case from PostgreSQL.
    if (options.Only is not { } only || only.Any(name => !EndToEndReport.IsCase(name)))
    {
        await ThroughputReport.RunAsync(options);
    }

    await EndToEndReport.RunAsync(options);
    return 0;
}

if (args.Contains("--scale-pg"))
{
    await ScalingReport.RunAsync(options, Args.Value(args, "--plot") ?? Path.Combine(options.Folder, "scaling.png"));
    return 0;
}

if (options.Repeat is { } format)
{
    await RepeatRun.RunAsync(options, format);
    return 0;
}

if (options.Scale)
{
    await ScaleReport.RunAsync(options);
    return 0;
}

await ThroughputReport.RunAsync(options);
return 0;

internal sealed record Args(int Rows, long EndToEndRows, int Runs, bool Scale, string? Child, string Folder, IReadOnlyList<int> Sizes, IReadOnlySet<string>? Only, bool KeepFiles, int BatchSize, int Warmup, string? Repeat, int Parallelism, string? AbSwitch, int? AbBatch)
{
    public static string? Value(string[] args, string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

    public static Args Parse(string[] args)
    {
        string? Value(string name) => Args.Value(args, name);
        return new Args(
            int.Parse(Value("--rows") ?? "2000000", CultureInfo.InvariantCulture),
            long.Parse(Value("--e2e-rows") ?? "5000000", CultureInfo.InvariantCulture),
            int.Parse(Value("--runs") ?? "3", CultureInfo.InvariantCulture),
            args.Contains("--scale"),
            Value("--child"),
            Value("--out") ?? Path.Combine(Path.GetTempPath(), "exports-throughput"),
            [.. (Value("--sizes") ?? "100000,1000000,10000000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))],
            Value("--only")?.Split(';').ToHashSet(StringComparer.OrdinalIgnoreCase),
            args.Contains("--keep-files"),
            int.Parse(Value("--batch") ?? RowBatch.DefaultCapacity.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture),
            int.Parse(Value("--warmup") ?? "2", CultureInfo.InvariantCulture),
            Value("--repeat"),
            int.Parse(Value("--parallelism") ?? "0", CultureInfo.InvariantCulture),
            Value("--ab"),
            Value("--ab-batch") is { } abBatch ? int.Parse(abBatch, CultureInfo.InvariantCulture) : null);
    }
}

/// <summary>The generated rows in the three shapes the writers take.</summary>
internal sealed record RowSet(Profile[] Profiles, List<RowBatch> Batches, PreparedAudienceSource Source)
{
    public static RowSet Create(Profile[] profiles, int batchSize)
    {
        var batches = ProfileData.ToBatches(profiles, batchSize);
        return new RowSet(profiles, batches, new PreparedAudienceSource("bench", batches));
    }
}

/// <summary>Times the SDK and the anchors on the same rows, median of several runs, and prints the table and ratios.</summary>
internal static class ThroughputReport
{
    /// <summary>Rows each .NET writer exports in the rounds that let the JIT settle.</summary>
    private const int JitWarmupRows = 20_000;

    /// <summary>A JIT warm-up round that compiles fewer methods than this is quiet; two quiet rounds in a row end it.</summary>
    private const int QuietRoundMethods = 5;

    /// <summary>Twice the 30 calls after which tiered compilation recompiles a method, and a few more.</summary>
    private const int MinJitRounds = 64;

    private const int MaxJitRounds = 150;

    public static async Task RunAsync(Args options)
    {
        Directory.CreateDirectory(options.Folder);
        Console.WriteLine($"Generating {options.Rows:N0} profile rows...");
        var full = RowSet.Create(ProfileData.Generate(options.Rows), options.BatchSize);
        var small = RowSet.Create(full.Profiles[..Math.Min(options.Rows, JitWarmupRows)], options.BatchSize);
        var attributes = ProfileData.ColumnNames;
        var writers = new List<(string Name, Func<RowSet, string, Task<long>> Run)>();
        void Add(string name, Func<RowSet, string, Task<long>> run)
        {
            if (options.Only is null || options.Only.Contains(name))
            {
                writers.Add((name, run));
            }
        }

        Add("SDK CSV", (d, f) => SdkPipeline.RunAsync(d.Source, "bench", attributes, f, "csv", ExportCompression.None, 0));
        Add("SDK CSV, 1 thread", (d, f) => SdkPipeline.RunAsync(d.Source, "bench", attributes, f, "csv", ExportCompression.None, 1));
        Add("SDK CSV.gz", (d, f) => SdkPipeline.RunAsync(d.Source, "bench", attributes, f, "csv", ExportCompression.Gzip, 0));
        Add("SDK CSV.gz, 16 MiB parts", (d, f) => SdkPipeline.RunAsync(d.Source, "bench", attributes, f, "csv", ExportCompression.Gzip, 0, 16L << 20));
        Add("SDK CSV.gz, 1 thread", (d, f) => SdkPipeline.RunAsync(d.Source, "bench", attributes, f, "csv", ExportCompression.Gzip, 1));
        Add("CSV writer → GZipStream, 1 thread", (d, f) => Anchors.CsvWriterGzipStreamAsync(d.Batches, Path.Combine(f, "x.csv.gz")));
        Add("SDK JSON Lines", (d, f) => SdkPipeline.RunAsync(d.Source, "bench", attributes, f, "jsonl", ExportCompression.None, 0));
        Add("SDK Parquet", (d, f) => SdkPipeline.RunAsync(d.Source, "bench", attributes, f, "parquet", ExportCompression.None, 0));
        Add("CsvHelper WriteRecords", (d, f) => Anchors.CsvHelperWriteRecordsAsync(d.Profiles, Path.Combine(f, "x.csv")));
        Add("Parquet.Net direct", (d, f) => Anchors.ParquetNetAsync(d.Profiles, Path.Combine(f, "x.parquet"), 1_000_000));
        Add("ParquetSharp", (d, f) => Anchors.ParquetSharpWrite(d.Profiles, Path.Combine(f, "x.parquet"), 1_000_000));
        var managedWriters = writers.Count;

        // DuckDB: the rows are loaded once, untimed (and not at all when --only leaves DuckDB out).
        var seed = Path.Combine(options.Folder, "duckdb-seed");
        DuckDBConnection? duck = null;
        if (options.Only is not { } selected || selected.Any(n => n.StartsWith("DuckDB", StringComparison.OrdinalIgnoreCase)))
        {
            Reset(seed);
            await SdkPipeline.RunAsync(full.Source, "bench", attributes, seed, "csv", ExportCompression.None, 0);
            duck = Anchors.LoadDuckDb(Directory.GetFiles(seed, "*.csv").Single(), threads: 2);
            Add("DuckDB COPY CSV", (_, f) => Task.FromResult(Anchors.DuckDbCopy(duck, Path.Combine(f, "x.csv"), "HEADER, DELIMITER ','")));
            Add("DuckDB COPY CSV gzip", (_, f) => Task.FromResult(Anchors.DuckDbCopy(duck, Path.Combine(f, "x.csv.gz"), "HEADER, COMPRESSION gzip")));
            Add("DuckDB COPY JSON", (_, f) => Task.FromResult(Anchors.DuckDbCopy(duck, Path.Combine(f, "x.json"), "FORMAT json")));
            Add("DuckDB COPY Parquet", (_, f) => Task.FromResult(Anchors.DuckDbCopy(duck, Path.Combine(f, "x.parquet"), "FORMAT parquet, COMPRESSION snappy")));
        }

        async Task<Measurement> RunOnce(string name, Func<RowSet, string, Task<long>> run, int index, bool samplePeak)
        {
            var folder = Path.Combine(options.Folder, name.Replace(' ', '-') + "-" + index);
            Reset(folder);
            var measurement = await Measurement.TakeAsync(name, options.Rows, () => run(full, folder), samplePeak);
            if (!options.KeepFiles)
            {
                Directory.Delete(folder, recursive: true);
            }

            return measurement;
        }

        try
        {
            // Untimed runs first, so every .NET writer is measured with its final code. Tiered compilation recompiles a
            // method after 30 calls, and again after 30 more with dynamic PGO, so code that runs once an export is
            // recompiled around a writer's 30th and 60th run, on a background thread that takes a core from the
            // two-thread writers (one 0.45 s export shared its two cores with 300 ms of compiling). The calls, not the
            // rows, are what counts: the .NET writers run on JitWarmupRows rows, round after round, at least
            // MinJitRounds rounds and until two rounds in a row compile fewer than QuietRoundMethods methods (at most
            // MaxJitRounds); then every writer runs --warmup times on all the rows. Those runs sample the peak working
            // set, which the timed runs do not (sampling costs CPU).
            var jitFolder = Path.Combine(options.Folder, "jit-warm-up");
            var compiledPerRound = new List<int>();
            var quietRounds = 0;
            while (managedWriters > 0 && (compiledPerRound.Count < MinJitRounds || (quietRounds < 2 && compiledPerRound.Count < MaxJitRounds)))
            {
                var compiled = JitInfo.GetCompiledMethodCount();
                foreach (var (_, run) in writers.Take(managedWriters))
                {
                    Reset(jitFolder);
                    await run(small, jitFolder);
                }

                // The background compiler works 100 ms after the calls that queued it: let it, inside the round.
                await Task.Delay(200);
                compiledPerRound.Add((int)(JitInfo.GetCompiledMethodCount() - compiled));
                quietRounds = compiledPerRound[^1] < QuietRoundMethods ? quietRounds + 1 : 0;
            }

            if (Directory.Exists(jitFolder))
            {
                Directory.Delete(jitFolder, recursive: true);
            }

            Console.WriteLine($"  JIT warm-up on {small.Profiles.Length:N0} rows: {compiledPerRound.Count} rounds, methods compiled in each: " +
                string.Join(", ", compiledPerRound));
            var peaks = new Dictionary<string, long>();
            foreach (var (name, run) in writers)
            {
                for (var i = 1; i <= options.Warmup; i++)
                {
                    var warmup = await RunOnce(name, run, -i, samplePeak: i == options.Warmup);
                    peaks[name] = warmup.PeakAddedBytes;
                }
            }

            // Timed runs take turns, one of each writer per round: these machines drift by tens of percent over minutes,
            // and a drift would otherwise favour whichever writer ran in the faster minutes.
            var runs = writers.ToDictionary(w => w.Name, _ => new List<Measurement>());
            var timedCompiled = JitInfo.GetCompiledMethodCount();
            var timedJit = JitInfo.GetCompilationTime();
            for (var round = 0; round < options.Runs; round++)
            {
                foreach (var (name, run) in writers)
                {
                    runs[name].Add(await RunOnce(name, run, round, samplePeak: options.Warmup == 0));
                }
            }

            Console.WriteLine($"  timed rounds: {JitInfo.GetCompiledMethodCount() - timedCompiled} methods compiled, " +
                $"{(JitInfo.GetCompilationTime() - timedJit).TotalMilliseconds:F0} ms in the JIT");

            var results = new List<Measurement>();
            foreach (var (name, _) in writers)
            {
                var median = Measurement.Median(runs[name]);
                results.Add(peaks.TryGetValue(name, out var peak) ? median with { PeakAddedBytes = peak } : median);
                Console.WriteLine($"  {name,-34} {median.RowsPerSecond / 1e6,6:F2} M rows/s  {median.MegabytesPerSecond,7:F1} MB/s  " +
                    $"(runs: {string.Join(", ", runs[name].Select(r => (r.RowsPerSecond / 1e6).ToString("F2", CultureInfo.InvariantCulture)))}; " +
                    $"JIT meanwhile: {string.Join(", ", runs[name].Select(r => r.JitMilliseconds.ToString("F0", CultureInfo.InvariantCulture)))} ms)");
            }

            Print(options, results, runs);
        }
        finally
        {
            duck?.Dispose();
            if (Directory.Exists(seed))
            {
                Directory.Delete(seed, recursive: true);
            }
        }
    }

    private static void Print(Args options, List<Measurement> results, Dictionary<string, List<Measurement>> runs)
    {
        Console.WriteLine();
        Console.WriteLine($"{options.Rows:N0} rows, {ProfileData.ColumnNames.Length} columns, median of {options.Runs}; " +
            $"{Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}");
        Console.WriteLine();
        Console.WriteLine("| writer (to a local file) | M rows/s | MB/s | allocated MB | peak added MB |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
        foreach (var r in results)
        {
            Console.WriteLine($"| {r.Name} | {r.RowsPerSecond / 1e6:F2} | {r.MegabytesPerSecond:F0} | {r.Allocated / 1048576.0:F0} | {r.PeakAddedBytes / 1048576.0:F0} |");
        }

        Measurement? Find(string name) => results.FirstOrDefault(r => r.Name == name);
        Console.WriteLine();
        Console.WriteLine("| goal | ratio | each round: lowest–highest, rounds met | target | CPU a row: measured / budget at the target |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
        void Ratio(string sdk, string anchor, double target)
        {
            if (Find(sdk) is not { } s || Find(anchor) is not { } a)
            {
                return;
            }

            // The budget: at the target rate, the wall time a row may take, on every core the machine has.
            var ratio = s.RowsPerSecond / a.RowsPerSecond;
            var budget = 1e9 * Environment.ProcessorCount / (target * a.RowsPerSecond);
            var each = runs[sdk].Zip(runs[anchor], (x, y) => x.RowsPerSecond / y.RowsPerSecond).ToList();
            Console.WriteLine($"| {sdk} ÷ {anchor} | {ratio:F2}× | {RoundRatios.Describe(each, target)} | ≥ {target:F1}× {(ratio >= target ? "met" : "NOT met")} | {s.CpuSeconds * 1e9 / s.Rows:F0} ns / {budget:F0} ns |");
        }

        Ratio("SDK CSV", "CsvHelper WriteRecords", 1.6);
        Ratio("SDK CSV", "SDK CSV, 1 thread", 1.5);
        Ratio("SDK CSV.gz", "CSV writer → GZipStream, 1 thread", 1.7);
        Ratio("SDK CSV.gz", "DuckDB COPY CSV gzip", 10.0);
        Ratio("SDK JSON Lines", "DuckDB COPY JSON", 2.5);
        Ratio("SDK Parquet", "DuckDB COPY Parquet", 1.0);
    }

    private static void Reset(string folder)
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        Directory.CreateDirectory(folder);
    }
}

/// <summary>Runs each format at each size in its own process and reports that process's peak resident memory.</summary>
internal static class ScaleReport
{
    public static async Task RunAsync(Args options)
    {
        var self = Environment.ProcessPath!;
        var dll = typeof(ScaleReport).Assembly.Location;
        Console.WriteLine("| format | rows | M rows/s | peak RSS MB |");
        Console.WriteLine("| --- | ---: | ---: | ---: |");
        foreach (var format in options.Only ?? (IEnumerable<string>)["csv", "csv.gz", "jsonl", "parquet"])
        {
            foreach (var rows in options.Sizes)
            {
                var start = new ProcessStartInfo(self) { RedirectStandardOutput = true };
                if (!self.EndsWith("Exports.Sdk.Throughput", StringComparison.Ordinal))
                {
                    start.ArgumentList.Add(dll);
                }

                foreach (var a in new[] { "--child", format, "--rows", rows.ToString(CultureInfo.InvariantCulture), "--out", Path.Combine(options.Folder, "scale") })
                {
                    start.ArgumentList.Add(a);
                }

                using var child = Process.Start(start)!;
                var output = await child.StandardOutput.ReadToEndAsync();
                await child.WaitForExitAsync();
                var fields = output.Trim().Split(' ').Select(f => f.Split('=')).Where(f => f.Length == 2).ToDictionary(f => f[0], f => f[1]);
                Console.WriteLine($"| {format} | {rows:N0} | {double.Parse(fields.GetValueOrDefault("rowsPerSecond", "0"), CultureInfo.InvariantCulture) / 1e6:F2} | {fields.GetValueOrDefault("peakRssMB", "?")} |");
            }
        }
    }
}

/// <summary>One export of generated rows (streamed, never held), then the process's peak RSS from /proc.</summary>
internal static class ScaleChild
{
    public static async Task<int> RunAsync(string format, int rows, string folder)
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        Directory.CreateDirectory(folder);
        var source = new SyntheticAudienceSource().AddAudience("scale", "Scale", rows);
        var clock = Stopwatch.StartNew();
        await SdkPipeline.RunAsync(source, "scale", SyntheticAudienceSource.AttributeNames, folder,
            format == "csv.gz" ? "csv" : format, format == "csv.gz" ? ExportCompression.Gzip : ExportCompression.None, 0);
        clock.Stop();
        var hwm = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        var kb = long.Parse(hwm.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        Directory.Delete(folder, recursive: true);
        Console.WriteLine($"rowsPerSecond={(rows / clock.Elapsed.TotalSeconds).ToString("F0", CultureInfo.InvariantCulture)} peakRssMB={kb / 1024}");
        return 0;
    }
}

/// <summary>
/// The SDK pipeline alone, run after run in one process (csv, csv.gz, jsonl or parquet), each run's rate printed: for
/// a profiler such as perf, and to watch the JIT settle, with the cores it kept busy and its CPU time a row (which moves
/// with the machine's load as much as with the code). No anchors, no memory sampling. With <c>--ab SWITCH</c> or
/// <c>--ab-batch N</c> every other run turns that AppContext switch on (for a change being tried behind it) or reads
/// batches of N rows, and both medians are printed: on these machines only runs that take turns in one process tell a
/// 10 % change from the drift.
/// </summary>
internal static class RepeatRun
{
    public static async Task RunAsync(Args options, string format)
    {
        var profiles = ProfileData.Generate(options.Rows);
        var source = new PreparedAudienceSource("bench", ProfileData.ToBatches(profiles, options.BatchSize));
        var other = options.AbBatch is { } batch ? new PreparedAudienceSource("bench", ProfileData.ToBatches(profiles, batch)) : source;
        var alternate = options.AbSwitch is not null || options.AbBatch is not null;
        var gzip = format.EndsWith(".gz", StringComparison.Ordinal);
        var folder = Path.Combine(options.Folder, "repeat");
        List<double>[] rates = [[], []];
        for (var i = 0; i < options.Runs; i++)
        {
            var side = alternate ? i % 2 : 0;
            if (options.AbSwitch is { } name)
            {
                AppContext.SetSwitch(name, side == 1);
            }

            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }

            using var self = Process.GetCurrentProcess();
            var cpu = self.TotalProcessorTime;
            var jitted = JitInfo.GetCompiledMethodCount();
            var jitTime = JitInfo.GetCompilationTime();
            var clock = Stopwatch.StartNew();
            await SdkPipeline.RunAsync(side == 1 ? other : source, "bench", ProfileData.ColumnNames, folder, gzip ? format[..^3] : format,
                gzip ? ExportCompression.Gzip : ExportCompression.None, options.Parallelism);
            var seconds = clock.Elapsed.TotalSeconds;
            self.Refresh();
            cpu = self.TotalProcessorTime - cpu;
            Console.WriteLine($"run {i + 1}{(alternate ? side == 1 ? " (B)" : " (A)" : "")}: {options.Rows / seconds / 1e6:F2} M rows/s, {cpu.TotalSeconds / seconds:F2} cores busy, {cpu.TotalSeconds * 1e9 / options.Rows:F0} ns of CPU a row, " +
                $"{JitInfo.GetCompiledMethodCount() - jitted} methods compiled in {(JitInfo.GetCompilationTime() - jitTime).TotalMilliseconds:F0} ms");
            // The first round of each side is still compiling.
            if (i >= (alternate ? 2 : 1))
            {
                rates[side].Add(options.Rows / seconds / 1e6);
            }
        }

        static double Median(List<double> r) => r.Order().ElementAt(r.Count / 2);
        if (alternate && rates[0].Count > 0 && rates[1].Count > 0)
        {
            Console.WriteLine($"A {Median(rates[0]):F2}, B {Median(rates[1]):F2} M rows/s (medians of {rates[0].Count} and {rates[1].Count} runs): B ÷ A {Median(rates[1]) / Median(rates[0]):F2}×");
        }
        else if (rates[0].Count > 0)
        {
            Console.WriteLine($"median {Median(rates[0]):F2} M rows/s over {rates[0].Count} runs");
        }

        Directory.Delete(folder, recursive: true);
    }
}
