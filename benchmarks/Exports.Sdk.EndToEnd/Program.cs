using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Exports.Sdk.Sources.AdoNet;
using Npgsql;

namespace Exports.Sdk.EndToEnd;

/// <summary>
/// One SDK run in a process of its own, so its peak RSS is its own: a PostgreSQL query through the ADO.NET source as
/// CSV.gz or CSV (checksums and manifest included) to a local folder, fauxqs or sshd; or a finished file uploaded through
/// a destination alone. Each is done twice in the process, cold and then as a running host would; prints
/// <c>seconds=… hostSeconds=… cpuSeconds=… hostCpuSeconds=… peakRssMB=… bytes=… allocatedMB=… collections=gen0/gen1/gen2
/// gcPauseSeconds=… completeSeconds=… hostCompleteSeconds=…</c>, the CPU seconds being the whole machine's
/// (<see cref="MachineCpu"/>), the complete seconds the S3 server's completion of the upload (<see cref="S3CompletionTimer"/>).
/// </summary>
internal static class Program
{
    /// <summary><c>Exports.Sdk.EndToEnd target rows folder sql bucket [file]</c>; target: local, local-csv, s3, sftp, upload-s3, upload-sftp.</summary>
    public static async Task<int> Main(string[] args)
    {
        var (target, rows, folder, sql, bucket) = (args[0], long.Parse(args[1], CultureInfo.InvariantCulture), args[2], args[3], args[4]);
        var file = args.Length > 5 ? args[5] : null;
        var env = ServicesEnvironment.Load();
        var run = Guid.NewGuid().ToString("N")[..8];
        var services = new ServiceCollection();
        var completion = new S3CompletionTimer();
        services.AddSingleton<Microsoft.Extensions.Logging.ILoggerFactory>(completion);
        var builder = services.AddExports().UseInMemoryExportStore();
        var destination = target.Replace("upload-", "", StringComparison.Ordinal).Replace("-csv", "", StringComparison.Ordinal);
        void Output(DestinationDefinition d)
        {
            d.Output.Format.Name = "csv";
            d.Output.Format.Compression = target.EndsWith("-csv", StringComparison.Ordinal) ? ExportCompression.None : ExportCompression.Gzip;
            d.Output.WriteManifest = true;
        }

        switch (destination)
        {
            case "local":
                builder.AddLocalFolderDestination("local", folder, Output);
                break;
            case "s3":
                builder.AddAmazonS3Destination("s3", s3 =>
                {
                    s3.Bucket = bucket;
                    s3.Prefix = "sdk-" + run;
                    s3.ServiceUrl = new Uri(env["S3_SERVICE_URL"]);
                    s3.ForcePathStyle = true;
                    s3.Region = "us-east-1";
                    s3.AccessKeyId = "bench";
                    s3.SecretAccessKey = "bench-secret";
                }, Output);
                break;
            case "sftp":
                builder.AddSftpDestination("sftp", sftp =>
                {
                    sftp.Host = env["SFTP_HOST"];
                    sftp.Port = int.Parse(env["SFTP_PORT"], CultureInfo.InvariantCulture);
                    sftp.Username = env["SFTP_USER"];
                    sftp.Password = env["SFTP_PASSWORD"];
                    sftp.RemotePath = "upload";
                    foreach (var fingerprint in env["SFTP_HOST_FINGERPRINTS"].Split(','))
                    {
                        sftp.HostKeyFingerprints.Add(fingerprint);
                    }
                }, d =>
                {
                    Output(d);
                    d.FolderPath = "sdk-" + run;
                });
                break;
            default:
                throw new ArgumentException($"Unknown end-to-end target '{target}'; use local, local-csv, s3, sftp, upload-s3 or upload-sftp.");
        }

        // The slim builder: what Npgsql asks of a native AOT app, and the same code in both deployments. A 64 KiB read
        // buffer, as docs/extending-sources.md advises for bulk reads: Npgsql's 8 KiB default takes a system call for
        // every 8 KiB on the thread that also reads the rows (psql reads through libpq, with a buffer of its own).
        var connectionString = new NpgsqlConnectionStringBuilder(env.PostgresConnectionString) { ReadBufferSize = 64 * 1024 };
        await using var postgres = new NpgsqlSlimDataSourceBuilder(connectionString.ConnectionString).Build();
        builder.AddAdoNetSource("pg", o =>
        {
            o.ConnectionFactory = postgres.CreateConnection;
            o.ListAudiencesSql = "SELECT 'none' AS id, 'none' AS name, '' AS description";
            o.MembersSql = "SELECT 1 AS \"person.email\"";
            o.Datasets["profiles"] = new AdoNetDatasetQuery { Sql = sql };
        });
        await using var provider = services.BuildServiceProvider();

        // Twice in one process: the first export is a cold start (every method still to be compiled), the second what a
        // running host (a scheduler, a web app) does on every later run.
        var seconds = new double[2];
        var cpu = new double[2];
        var serverCompletion = new double[2];
        long bytes = 0;
        for (var pass = 0; pass < seconds.Length; pass++)
        {
            var busy = MachineCpu.BusySeconds();
            var clock = Stopwatch.StartNew();
            bytes = await RunOnceAsync(provider, destination, $"{run}-{pass}", rows, file);
            seconds[pass] = clock.Elapsed.TotalSeconds;
            cpu[pass] = MachineCpu.BusySeconds() - busy;
            serverCompletion[pass] = completion.Take();
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seconds={seconds[0]:F3} hostSeconds={seconds[1]:F3} cpuSeconds={cpu[0]:F2} hostCpuSeconds={cpu[1]:F2} peakRssMB={PeakRssMegabytes()} bytes={bytes} allocatedMB={GC.GetTotalAllocatedBytes() >> 20} collections={GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)} gcPauseSeconds={GC.GetTotalPauseDuration().TotalSeconds:F2} completeSeconds={serverCompletion[0]:F3} hostCompleteSeconds={serverCompletion[1]:F3}"));
        return 0;
    }

    private static async Task<long> RunOnceAsync(IServiceProvider provider, string destination, string run, long rows, string? file)
    {
        if (file is not null)
        {
            // The upload alone: the same finished file through the destination's writer and commit.
            var writeTo = await provider.GetRequiredService<IDestinationCatalog>().GetDestinationAsync(destination);
            await using (var writer = await writeTo.OpenWriteAsync($"sdk-upload-{run}/{Path.GetFileName(file)}"))
            {
                await using var input = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, useAsync: true);
                await input.CopyToAsync(writer.Stream, 1 << 20);
                await writer.CommitAsync();
            }

            return new FileInfo(file).Length;
        }

        var result = await provider.GetRequiredService<IDatasetExportRunner>().RunAsync(
            new DatasetExportDefinition { Id = "e2e", Source = "pg", DatasetId = "profiles", Destination = destination },
            new DatasetRunRequest());
        if (result.Status != ExportRunStatus.Succeeded || result.RowsExported != rows)
        {
            throw new InvalidOperationException($"The SDK run ended {result.Status} with {result.RowsExported:N0} rows: {string.Join("; ", result.Errors)}");
        }

        return result.Files.Sum(f => f.Size);
    }

    /// <summary>This process's peak resident set (VmHWM), in MB.</summary>
    private static long PeakRssMegabytes()
    {
        var hwm = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(hwm.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }
}
