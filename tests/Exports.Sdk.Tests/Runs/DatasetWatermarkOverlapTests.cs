using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace Exports.Sdk.Tests.Runs;

/// <summary>
/// Scheduled incremental dataset runs by an integer or date watermark, with the state the SDK keeps between them: a
/// row that got its value before an earlier one committed, and a date with more rows than the overlap remembers.
/// </summary>
public sealed class DatasetWatermarkOverlapTests : IAsyncDisposable
{
    private static readonly DateTimeOffset FirstSlot = new(2026, 3, 14, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Day = new(2026, 3, 14);

    private static readonly ExportSchema Schema = new(
        new ExportColumn("seq", ExportColumnType.Int64),
        new ExportColumn("day", ExportColumnType.Date));

    private readonly string _root = Directory.CreateTempSubdirectory("exports-overlap-").FullName;
    private readonly InMemoryDatasetSource _source = new();
    private readonly ServiceProvider _provider;
    private int _slots;

    public DatasetWatermarkOverlapTests()
    {
        var services = new ServiceCollection();
        services.AddExports().UseInMemoryExportStore()
            .AddDatasetSource("mem", _source)
            .AddLocalFolderDestination("out", _root, d => d.Output.Format.Name = "jsonl");
        _provider = services.BuildServiceProvider();
    }

    [Fact]
    public async Task AnIdentityValueCommittedAfterALaterOne_IsExportedOnce_WithAnOverlapOfValues()
    {
        // Two inserts: 100 took its value first, 101 committed first. The first run saw 101 but not 100.
        _source.AddDataset("events", Schema, Rows([.. Enumerable.Range(1, 99), 101]));
        var export = Export("seq", overlap: 10);

        (await RunSlotAsync(export)).Should().HaveCount(100, "the first run is the full backfill");
        _source.AppendRows("events", Rows([100, 102]));
        var second = await RunSlotAsync(export);
        _source.AppendRows("events", Rows([103]));
        var third = await RunSlotAsync(export);

        second.Should().Equal(new long[] { 100, 102 }, "the overlap re-reads 92 to 101; what the first run exported there is dropped");
        third.Should().Equal(103L);
    }

    [Fact]
    public async Task WithoutAnOverlap_AnIntegerWatermarkReReadsOnlyItsNewestValue()
    {
        _source.AddDataset("events", Schema, Rows([.. Enumerable.Range(1, 99), 101]));
        var export = Export("seq", overlap: 0);

        await RunSlotAsync(export);
        _source.AppendRows("events", Rows([100, 102]));

        (await RunSlotAsync(export)).Should().Equal(new long[] { 102 }, "the default, documented: a value below the newest is not read again");
    }

    [Fact]
    public async Task ADateWithMoreRowsThanTheOverlapRemembers_NeverSkipsTheRowsThatArriveLaterThatDay()
    {
        // More rows of one day than the remembered overlap holds: the next start used to move to the next day, and
        // every row of that day still to come was skipped.
        var count = ChangeFingerprintsLimit + 20_000;
        _source.AddDataset("events", Schema, Rows([.. Enumerable.Range(1, count)]));
        var export = Export("day", overlap: 0);

        (await RunSlotAsync(export)).Should().HaveCount(count);
        _source.AppendRows("events", Rows([count + 1, count + 2]));
        var second = await RunSlotAsync(export);
        _source.AppendRows("events", Rows([count + 3]));
        var third = await RunSlotAsync(export);

        // Exported again rather than skipped: the day's rows the overlap could not remember (at most 20,000 here).
        second.Should().Contain(new long[] { count + 1, count + 2 }).And.HaveCountLessThanOrEqualTo(20_002).And.OnlyHaveUniqueItems();
        third.Should().Contain((long)count + 3).And.HaveCountLessThanOrEqualTo(20_003);
    }

    [Fact]
    public async Task ADateOverlapOfOneDay_ExportsARowOfYesterdayThatArrivesToday()
    {
        _source.AddDataset("events", Schema, [[1L, Day.AddDays(-1)], [2L, Day]]);
        var export = Export("day", overlap: 1);

        await RunSlotAsync(export);
        _source.AppendRows("events", [[3L, Day.AddDays(-1)], [4L, Day]]);

        (await RunSlotAsync(export)).Should().BeEquivalentTo(new[] { 3L, 4L });
    }

    [Fact]
    public void ANegativeOverlap_IsRefusedNamingTheExportAndTheField()
    {
        var export = Export("seq", overlap: -1);

        DatasetExportValidator.Validate(export).Should().ContainSingle()
            .Which.Should().Be("Dataset export 'events-export': WatermarkOverlap -1 must be zero or more (values, or days for a date column, re-read before the newest exported).");
    }

    public async ValueTask DisposeAsync()
    {
        await _provider.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    private const int ChangeFingerprintsLimit = 100_000;

    private static DatasetExportDefinition Export(string watermark, long overlap) => new()
    {
        Id = "events-export",
        Source = "mem",
        Destination = "out",
        DatasetId = "events",
        WatermarkColumn = watermark,
        WatermarkOverlap = overlap,
        Mode = ExportMode.FirstFullThenIncremental,
        Schedule = new ExportSchedule { Frequency = ScheduleFrequency.Every3Hours, StartDate = Day, StartTime = "00:00" },
    };

    /// <summary>Rows of <see cref="Day"/> by sequence number.</summary>
    private static IEnumerable<object?[]> Rows(int[] seqs) => seqs.Select(s => new object?[] { (long)s, Day });

    /// <summary>Runs the next 3-hourly slot and returns the sequence numbers of the files it wrote, read back from the folder.</summary>
    private async Task<List<long>> RunSlotAsync(DatasetExportDefinition export)
    {
        var slot = FirstSlot.AddHours(3 * _slots++);
        var record = await _provider.GetRequiredService<IExportSlotRunner>().RunSlotAsync(ScheduledEntry.For(export), slot);
        record.Status.Should().Be(ExportRunStatus.Succeeded, string.Join("; ", record.Errors));
        return [.. record.Entries.SelectMany(e => e.Files).Where(f => f.Path.EndsWith(".jsonl", StringComparison.Ordinal))
            .SelectMany(f => File.ReadLines(Path.Combine(_root, f.Path)))
            .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("seq").GetInt64())];
    }
}
