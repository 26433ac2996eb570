using Exports.Sdk.EndToEnd;
using System.Diagnostics;
using System.Globalization;

namespace Exports.Sdk.Throughput;

/// <summary>
/// End to end, against what a team would script instead: a PostgreSQL table exported as CSV.gz by the SDK (ADO.NET
/// source, checksums, manifest) and by <c>psql \copy</c> piped to <c>gzip -1</c> or <c>pigz -1</c>, into a file, into
/// <c>aws s3 cp -</c> to fauxqs (S3) and into <c>rclone rcat</c> to sshd (SFTP); uncompressed CSV against
/// <c>psql \copy … TO file</c>; and the upload alone of one finished file against OpenSSH <c>sftp put</c> and
/// <c>aws s3 cp</c>. rclone 1.60 cannot write to fauxqs 2.4.1: its CompleteMultipartUpload sends the parts' ETags
/// XML-escaped (<c>&amp;quot;</c>), which fauxqs compares unescaped and refuses, and a single PUT over fauxqs' 11 MiB
/// body limit is refused too; the AWS CLI (Debian's awscli) streams to it. Every SDK run is a
/// process of its own, so its peak RSS is its own, and exports twice: cold (as a cron job's would, every method still to be
/// compiled) and then as a running host does on every later run. Median of the runs, taking turns.
/// </summary>
internal static class EndToEndReport
{
    public const string Bucket = "exports-bench";

    /// <summary>
    /// Whether a case name is one of the end-to-end case's: they end in where they write, or start with the tool that
    /// writes (a formatter case such as "CSV writer → GZipStream, 1 thread" does neither).
    /// </summary>
    public static bool IsCase(string name) =>
        new[] { " → local", " → file", " → S3", " → SFTP" }.Any(to => name.EndsWith(to, StringComparison.Ordinal))
        || name.StartsWith("psql", StringComparison.Ordinal) || name == "OpenSSH sftp put";

    /// <summary>Names the SDK's second export in its process: what a running host does on every run after its first.</summary>
    public const string HostSuffix = ", running host";

    public static async Task RunAsync(Args options)
    {
        var missing = new[] { "psql", "gzip", "pigz", "rclone", "sftp", "aws" }.Where(c => !ShellRun.Has(c)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException($"The end-to-end case needs {string.Join(", ", missing)}: apt-get install -y postgresql-client pigz rclone openssh-client awscli (scripts/benchmark-e2e.sh does it)");
        }

        var env = ServicesEnvironment.Load();
        var table = await ProfileTable.EnsureAsync(env.PostgresConnectionString, options.EndToEndRows);
        var pg = new Npgsql.NpgsqlConnectionStringBuilder(env.PostgresConnectionString);
        var shell = new Dictionary<string, string>
        {
            ["PGPASSWORD"] = pg.Password ?? "",
            ["AWS_ACCESS_KEY_ID"] = "bench",
            ["AWS_SECRET_ACCESS_KEY"] = "bench-secret",
            ["AWS_DEFAULT_REGION"] = "us-east-1",
            ["RCLONE_CONFIG_SSHD_TYPE"] = "sftp",
            ["RCLONE_CONFIG_SSHD_HOST"] = env["SFTP_HOST"],
            ["RCLONE_CONFIG_SSHD_PORT"] = env["SFTP_PORT"],
            ["RCLONE_CONFIG_SSHD_USER"] = env["SFTP_USER"],
            ["RCLONE_CONFIG_SSHD_KEY_FILE"] = env["SFTP_KEY_ED25519"],
            ["RCLONE_CONFIG_SSHD_SHELL_TYPE"] = "none",
        };
        var folder = Path.Combine(options.Folder, "e2e");
        Directory.CreateDirectory(folder);
        var s3 = $"aws --endpoint-url {env["S3_SERVICE_URL"]} s3";
        await ShellRun.TimeAsync($"{s3} mb s3://{Bucket} || true", shell);

        var psql = $"psql -X -q -h {pg.Host} -p {pg.Port} -U {pg.Username} -d {pg.Database}";
        var copy = $"{psql} -c \"\\copy (SELECT {ProfileTable.Columns} FROM {table}) TO STDOUT WITH CSV HEADER\"";
        var finished = Path.Combine(folder, "finished.csv.gz");
        await ShellRun.TimeAsync($"{copy} | gzip -1 > {finished}", shell);
        var sftp = $"sftp -q -b - -P {env["SFTP_PORT"]} -i {env["SFTP_KEY_ED25519"]} -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null {env["SFTP_USER"]}@{env["SFTP_HOST"]}";

        // A case gives one timing, or two for the SDK: its cold first export and the next one in the same process.
        var cases = new List<(string Name, Func<Task<Timing[]>> Run)>();
        void Shell(string name, Func<string> script) => cases.Add((name, async () =>
        {
            var busy = MachineCpu.BusySeconds();
            var seconds = await ShellRun.TimeAsync(script(), shell);
            return [new(name, seconds, MachineCpu.BusySeconds() - busy, null, null)];
        }));
        var native = NativeChild();
        void Sdk(string name, string target, string? file = null, bool published = false) => cases.Add((name, async () =>
        {
            var sdk = await RunSdkAsync(target, options.EndToEndRows, Path.Combine(folder, "sdk"), file, published ? native : null);
            return [new(name, sdk.Cold, sdk.ColdCpu, sdk.PeakRssMB, sdk.ColdComplete), new(name + HostSuffix, sdk.Host, sdk.HostCpu, sdk.PeakRssMB, sdk.HostComplete)];
        }));
        void Both(string name, string target)
        {
            Sdk(name, target);
            if (native is not null)
            {
                Sdk(name.Replace("SDK ", NativeName, StringComparison.Ordinal), target, published: true);
            }
        }

        Both("SDK CSV.gz → local", "local");
        Shell("psql | gzip -1 → file", () => $"{copy} | gzip -1 > {folder}/gzip.csv.gz");
        Shell("psql | pigz -1 → file", () => $"{copy} | pigz -1 > {folder}/pigz.csv.gz");
        Both("SDK CSV.gz → S3", "s3");
        Shell("psql | gzip -1 | aws s3 cp → S3", () => $"{copy} | gzip -1 | {s3} cp - s3://{Bucket}/gzip.csv.gz");
        Shell("psql | pigz -1 | aws s3 cp → S3", () => $"{copy} | pigz -1 | {s3} cp - s3://{Bucket}/pigz.csv.gz");
        Both("SDK CSV.gz → SFTP", "sftp");
        Shell("psql | gzip -1 | rclone rcat → SFTP", () => $"{copy} | gzip -1 | rclone rcat sshd:upload/gzip.csv.gz");
        Shell("psql | pigz -1 | rclone rcat → SFTP", () => $"{copy} | pigz -1 | rclone rcat sshd:upload/pigz.csv.gz");
        Both("SDK CSV → local", "local-csv");
        Shell("psql \\copy TO file", () => $"{psql} -c \"\\copy (SELECT {ProfileTable.Columns} FROM {table}) TO '{folder}/plain.csv' WITH CSV HEADER\"");
        Sdk("SDK upload → S3", "upload-s3", finished);
        Shell("aws s3 cp → S3", () => $"{s3} cp {finished} s3://{Bucket}/copy.csv.gz");
        Sdk("SDK upload → SFTP", "upload-sftp", finished);
        Shell("OpenSSH sftp put", () => $"{sftp} <<< 'put {finished} upload/put.csv.gz'");
        if (options.Only is { } only)
        {
            cases.RemoveAll(c => !only.Contains(c.Name));
        }

        // Between runs, untimed: the files each run left (fauxqs keeps objects in memory).
        async Task CleanAsync()
        {
            foreach (var file in Directory.GetFiles(folder).Where(f => f != finished))
            {
                File.Delete(file);
            }

            if (Directory.Exists(Path.Combine(folder, "sdk")))
            {
                Directory.Delete(Path.Combine(folder, "sdk"), recursive: true);
            }

            await ShellRun.TimeAsync($"{s3} rm s3://{Bucket} --recursive --quiet && rclone delete sshd:upload --include '*.csv.gz' --include '*.json' --rmdirs", shell);
        }

        if (native is null)
        {
            Console.WriteLine($"No native build of the SDK's process at {NativePath}: its cases are left out (scripts/benchmark-e2e.sh publishes it).");
        }

        Console.WriteLine($"{options.EndToEndRows:N0} rows of {table}, {new FileInfo(finished).Length / 1048576.0:F0} MB as CSV.gz; {options.Runs} runs each after one warm-up");
        var results = new List<Timing>();
        for (var round = -1; round < options.Runs; round++)
        {
            foreach (var (_, run) in cases)
            {
                await CleanAsync();
                var timings = await run();
                if (round >= 0)
                {
                    results.AddRange(timings.Select(t => t with { Round = round }));
                }
            }
        }

        await CleanAsync();
        var medians = results.GroupBy(r => r.Name)
            .Select(g => (g.Key, (g.Select(r => r.Seconds).Order().ElementAt(g.Count() / 2), g.Select(r => r.CpuSeconds).Order().ElementAt(g.Count() / 2), g.Max(r => r.PeakRssMB))))
            .ToList();
        Print(options.EndToEndRows, new FileInfo(finished).Length, medians, results);
    }

    private static void Print(long rows, long finishedBytes, List<(string Name, (double Seconds, double Cpu, long? Rss) Result)> results, List<Timing> rounds)
    {
        Console.WriteLine();
        Console.WriteLine($"| pipeline | seconds | M rows/s | peak RSS MB | machine CPU a row ({Environment.ProcessorCount} cores) |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
        foreach (var (name, (seconds, cpu, rss)) in results)
        {
            var rate = name.Contains("upload", StringComparison.Ordinal) || name == "aws s3 cp → S3" || name.Contains("put", StringComparison.Ordinal)
                ? $"{finishedBytes / 1048576.0 / seconds:F0} MB/s"
                : (rows / seconds / 1e6).ToString("F2", CultureInfo.InvariantCulture);
            Console.WriteLine($"| {Cell(name)} | {seconds:F2} | {rate} | {(rss is { } r ? r.ToString(CultureInfo.InvariantCulture) : "")} | {cpu * 1e9 / rows:F0} ns |");
        }

        double Seconds(string name) => results.Any(r => r.Name == name) ? results.First(r => r.Name == name).Result.Seconds : double.NaN;
        double Cpu(string name) => results.First(r => r.Name == name).Result.Cpu;
        Console.WriteLine();
        Console.WriteLine("| goal | ratio | each round: lowest–highest, rounds met | target | machine CPU a row: measured / budget at the target |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
        void Ratio(string sdk, string anchor, double target)
        {
            var ratio = Seconds(anchor) / Seconds(sdk);
            if (double.IsNaN(ratio))
            {
                // One of the two was left out with --only.
                return;
            }

            // The budget: at the target, the wall time a row may take, on every core the machine has (the database's and
            // the server's work included, as in the measured figure).
            var budget = 1e9 * Environment.ProcessorCount * Seconds(anchor) / target / rows;
            var each = rounds.Where(r => r.Name == anchor)
                .Join(rounds.Where(r => r.Name == sdk), a => a.Round, s => s.Round, (a, s) => a.Seconds / s.Seconds)
                .ToList();
            Console.WriteLine($"| {Cell(sdk)} vs {Cell(anchor)} | {ratio:F2}× | {RoundRatios.Describe(each, target)} | ≥ {target:F1}× {(ratio >= target ? "met" : "NOT met")} | {Cpu(sdk) * 1e9 / rows:F0} ns / {budget:F0} ns |");
            if (sdk.EndsWith(HostSuffix, StringComparison.Ordinal))
            {
                return;
            }

            Ratio(sdk + HostSuffix, anchor, target);
        }

        foreach (var process in new[] { "SDK ", NativeName })
        {
            foreach (var to in new[] { "file", "S3", "SFTP" })
            {
                var sdk = process + (to == "file" ? "CSV.gz → local" : $"CSV.gz → {to}");
                var upload = to == "S3" ? "aws s3 cp" : "rclone rcat";
                Ratio(sdk, to == "file" ? "psql | gzip -1 → file" : $"psql | gzip -1 | {upload} → {to}", 2.0);
                Ratio(sdk, to == "file" ? "psql | pigz -1 → file" : $"psql | pigz -1 | {upload} → {to}", 1.0);
            }

            Ratio(process + "CSV → local", "psql \\copy TO file", 1.0);
        }

        Ratio("SDK upload → SFTP", "OpenSSH sftp put", 0.8);
        Ratio("SDK upload → S3", "aws s3 cp → S3", 0.8);
        var peak = results.Max(r => r.Result.Rss ?? 0);
        Console.WriteLine($"| SDK peak RSS, every run | {peak} MB | | < 250 MB {(peak < 250 ? "met" : "NOT met")} | |");

        // The part of an S3 run the server bounds: fauxqs completes a multipart upload on one core (an MD5 of every part,
        // then a copy of the object) while the SDK and PostgreSQL wait; the script's aws s3 cp waits for the same.
        var s3 = rounds.Where(r => r.CompleteSeconds > 0 && r.Name.Contains("→ S3", StringComparison.Ordinal) && !r.Name.Contains("upload", StringComparison.Ordinal))
            .GroupBy(r => r.Name)
            .Select(g => $"{g.Key} {g.Select(r => r.CompleteSeconds!.Value).Order().ElementAt(g.Count() / 2):F2} s of {g.Select(r => r.Seconds).Order().ElementAt(g.Count() / 2):F2} s")
            .ToList();
        if (s3.Count > 0)
        {
            Console.WriteLine();
            Console.WriteLine($"S3 CompleteMultipartUpload round trips, fauxqs working alone on one core (medians; the script waits for the same): {string.Join("; ", s3)}");
        }
    }

    /// <summary>
    /// One timed run of a case, with the CPU time the whole machine was busy during it, for the SDK the S3 server's
    /// completion of its uploads (<c>S3CompletionTimer</c>), and its round (-1: the warm-up).
    /// </summary>
    private sealed record Timing(string Name, double Seconds, double CpuSeconds, long? PeakRssMB, double? CompleteSeconds)
    {
        public int Round { get; init; }
    }

    /// <summary>A pipeline's name in a Markdown table cell (its pipes escaped).</summary>
    private static string Cell(string name) => name.Replace("|", "\\|", StringComparison.Ordinal);

    /// <summary>Names the cases of the SDK's process published native (<c>dotnet publish</c> with native AOT).</summary>
    public const string NativeName = "SDK native AOT ";

    /// <summary>Where scripts/benchmark-e2e.sh publishes the SDK's process native.</summary>
    public static string NativePath => Path.Combine(ServicesEnvironment.Root, "benchmarks", "Exports.Sdk.EndToEnd", "bin", "native", "Exports.Sdk.EndToEnd");

    private static string? NativeChild() => File.Exists(NativePath) ? NativePath : null;

    /// <summary>
    /// Runs the SDK's process (Exports.Sdk.EndToEnd) as built, on the JIT, or the native build when one is given, and reads
    /// its times, the machine's CPU, its peak RSS and the S3 server's completion of its uploads.
    /// </summary>
    public static async Task<(double Cold, double Host, double ColdCpu, double HostCpu, long PeakRssMB, double ColdComplete, double HostComplete)> RunSdkAsync(string target, long rows, string folder, string? file, string? native = null)
    {
        // On the JIT: its app host, copied beside this harness with its runtimeconfig.
        var start = new ProcessStartInfo(native ?? Path.ChangeExtension(typeof(MachineCpu).Assembly.Location, null)) { RedirectStandardOutput = true, RedirectStandardError = true };

        var sql = $"SELECT {ProfileTable.Columns} FROM {ProfileTable.NameFor(rows)}";
        foreach (var a in new[] { target, rows.ToString(CultureInfo.InvariantCulture), folder, sql, Bucket })
        {
            start.ArgumentList.Add(a);
        }

        if (file is not null)
        {
            start.ArgumentList.Add(file);
        }

        using var child = Process.Start(start)!;
        var output = await child.StandardOutput.ReadToEndAsync();
        var error = await child.StandardError.ReadToEndAsync();
        await child.WaitForExitAsync();
        if (child.ExitCode != 0)
        {
            throw new InvalidOperationException($"The SDK run to {target} failed: {error}{output}");
        }

        var fields = output.Trim().Split('\n')[^1].Split(' ').Select(f => f.Split('=')).Where(f => f.Length == 2).ToDictionary(f => f[0], f => f[1]);
        double Seconds(string key) => double.Parse(fields[key], CultureInfo.InvariantCulture);

        // A native build published before the S3 completion was timed prints none.
        double Optional(string key) => fields.ContainsKey(key) ? Seconds(key) : 0;
        return (Seconds("seconds"), Seconds("hostSeconds"), Seconds("cpuSeconds"), Seconds("hostCpuSeconds"), long.Parse(fields["peakRssMB"], CultureInfo.InvariantCulture), Optional("completeSeconds"), Optional("hostCompleteSeconds"));
    }
}
