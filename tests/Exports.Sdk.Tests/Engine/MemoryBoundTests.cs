using Exports.Sdk.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Exports.Sdk.Tests.Engine;

/// <summary>Measured alone: other tests running beside them would add their own allocations to the heap.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryMeasurements
{
    public const string Name = "Memory";
}

/// <summary>
/// Issue 21, item 8: memory stays flat whatever the audience size, asserted through the public API; deduplication holds
/// at most a configured number of keys and fails clearly past it.
/// </summary>
[Collection(MemoryMeasurements.Name)]
public sealed class MemoryBoundTests(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private const long MB = 1024 * 1024;
    private readonly string _root = Directory.CreateTempSubdirectory("exports-memory-").FullName;

    [Fact]
    public async Task LargeAudience_PeakManagedMemory_DoesNotGrowWithRows()
    {
        var small = await PeakManagedMemoryAsync(200_000);
        var large = await PeakManagedMemoryAsync(2_000_000);
        output.WriteLine($"peak heap kept after collections: 200,000 rows {small / MB} MB, 2,000,000 rows {large / MB} MB");

        large.Should().BeLessThan(small + (64 * MB), $"ten times the rows must not need more memory (200,000 rows: {small / MB} MB, 2,000,000 rows: {large / MB} MB)");
        large.Should().BeLessThan(256 * MB);
    }

    [Fact]
    public async Task Deduplication_PastTheKeyLimit_FailsNamingTheExportAndTheLimit_AndPublishesNothing()
    {
        var members = Enumerable.Range(0, 3_000).Select(i => new AudienceMember(
            new Dictionary<string, object?> { ["profileId"] = $"p{i}", ["person.email"] = $"p{i}@example.com" },
            MembershipStatus.Realized, new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(i)));
        var services = new ServiceCollection().AddLogging();
        services.AddExports()
            .AddAudienceSource("crm", new InMemoryAudienceSource().AddAudience(new AudienceInfo("vip", "VIP"), members))
            .AddLocalFolderDestination("out", _root)
            .AddDataflow("dedup", d =>
            {
                d.Source = "crm";
                d.Destination = "out";
                d.Attributes = ["profileId", "person.email"];
                d.Deduplication = new DeduplicationKey { Attributes = ["profileId"] };
                d.Audiences = [new AudienceActivation { AudienceId = "vip" }];
            });
        services.Configure<ExportsOptions>(o => o.Runs.MaxDeduplicationKeys = 1_000);
        await using var provider = services.BuildServiceProvider();
        var dataflow = provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<ExportsOptions>>().Value.GetDataflow("dedup");

        var result = await provider.GetRequiredService<IExportRunner>().RunAsync(dataflow, new ExportRunRequest());

        result.Status.Should().Be(ExportRunStatus.Failed);
        string.Join(" ", result.Errors).Should().Contain("Dataflow 'dedup', audience 'vip'").And.Contain("more than 1,000 distinct keys").And.Contain("Exports:Runs:MaxDeduplicationKeys");
        Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories).Should().BeEmpty("a failed run publishes nothing");
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private async Task<long> PeakManagedMemoryAsync(int rows)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_root, rows.ToString(System.Globalization.CultureInfo.InvariantCulture))).FullName;
        var services = new ServiceCollection().AddLogging();
        services.AddExports()
            .AddAudienceSource("synthetic", new SyntheticAudienceSource().AddAudience("all", "All", rows))
            .AddLocalFolderDestination("out", folder, d =>
            {
                d.Output.Format.Compression = ExportCompression.Gzip;
                d.Output.MaxRowsPerFile = 500_000;
            })
            .AddDataflow("big", d =>
            {
                d.Source = "synthetic";
                d.Destination = "out";
                d.Attributes = [.. SyntheticAudienceSource.AttributeNames];
                d.Audiences = [new AudienceActivation { AudienceId = "all" }];
            });
        await using var provider = services.BuildServiceProvider();
        var dataflow = provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<ExportsOptions>>().Value.GetDataflow("big");
        var runner = provider.GetRequiredService<IExportRunner>();

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var before = GC.CollectionCount(0);
        long peak = 0;
        using var done = new ManualResetEventSlim();

        // What the export keeps: the heap each collection leaves (its live objects), sampled on a thread of its own, which
        // the export's work cannot hold back. The heap between collections also holds garbage, whose amount is the
        // collector's choice (its young-generation budget follows the machine's cache) and made this measure flaky.
        var sampler = new Thread(() =>
        {
            do
            {
                var info = GC.GetGCMemoryInfo();
                peak = Math.Max(peak, info.HeapSizeBytes - info.FragmentedBytes);
            }
            while (!done.Wait(2));
        });
        sampler.Start();
        var result = await runner.RunAsync(dataflow, new ExportRunRequest());
        done.Set();
        sampler.Join();
        output.WriteLine($"{rows:N0} rows: {GC.CollectionCount(0) - before} collections");

        result.Status.Should().Be(ExportRunStatus.Succeeded, string.Join("; ", result.Errors));
        result.Files.Sum(f => f.Rows).Should().Be(rows);
        return peak;
    }
}
