using System.Text;
using Exports.Sdk.ClusterTests;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Exports.Sdk.Scheduling.Quartz.Tests;

/// <summary>Hosts with their own service provider and Quartz instance id, clustered over one real PostgreSQL database.</summary>
public sealed class ClusteredSchedulingTests(ITestOutputHelper output) : IAsyncLifetime
{
    // Long enough that a firing made late by a busy machine still runs its own slot (a firing a whole slot late runs the
    // next one, as a missed occurrence is caught up once).
    private const int SlotSeconds = 5;
    private TestDatabase _db = null!;

    public async Task InitializeAsync() => _db = await TestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task ThreeHosts_ScheduleEveryFewSeconds_EachSlotRunsOnceWithoutDuplicateFiles()
    {
        var destinations = new CountingDestinationProvider();
        string[] audiences = ["vip", "churn", "newsletter"];
        var hosts = Enumerable.Range(1, 3).Select(i => Host($"host-{i}", destinations, ClusterHost.Source(audiences))).ToList();
        await Task.WhenAll(hosts.Select(h => h.StartAsync()));
        await hosts[0].Manager.CreateAsync(Callers.Admin, ClusterHost.Dataflow("df", Schedule(), audiences));
        var started = DateTimeOffset.UtcNow;
        await Task.WhenAll(hosts.Select(h => h.Services.GetRequiredService<IExportScheduler>().RefreshAsync("df").AsTask()));

        await Task.Delay(TimeSpan.FromSeconds(45));
        var stopped = DateTimeOffset.UtcNow;
        foreach (var host in hosts)
        {
            await host.DisposeAsync();
        }

        await using var reader = Host("reader", destinations, ClusterHost.Source(audiences), scheduler: false);
        var all = (await reader.Manager.ListRunsAsync(Callers.Admin, "df")).OrderBy(r => r.ScheduledTime).ToList();
        Report(all, destinations);
        all.Select(r => r.RunId).Should().OnlyHaveUniqueItems();
        destinations.Commits.Values.Should().OnlyContain(n => n == 1, "no file is written twice");
        destinations.Files.Files.Keys.Count(k => k.Contains("manifest", StringComparison.Ordinal)).Should().Be(all.Count, "one manifest per slot");
        foreach (var audience in audiences)
        {
            AssertEverySlotOnce([.. all.Where(r => r.AudienceIds.Single() == audience)], audience, stopped - started);
        }
    }

    private static void AssertEverySlotOnce(List<ExportRunRecord> runs, string audience, TimeSpan window)
    {
        runs.Should().OnlyContain(r => r.Status == ExportRunStatus.Succeeded && r.Trigger == ExportRunTrigger.Scheduled);
        runs.Select(r => r.RunId).Should().OnlyHaveUniqueItems();
        runs.Should().OnlyContain(r => r.RunId == SlotRunId.For("df", audience, r.ScheduledTime));
        runs.Should().OnlyContain(r => r.Host == "host-1" || r.Host == "host-2" || r.Host == "host-3");
        // Every occurrence from the first to the last ran, once: no gap, no second run (a second run would commit twice).
        var slots = runs.Select(r => r.ScheduledTime).ToList();
        slots.Zip(slots.Skip(1), (a, b) => b - a).Should().OnlyContain(d => d == TimeSpan.FromSeconds(SlotSeconds));
        runs.Count.Should().BeGreaterThanOrEqualTo((int)(window.TotalSeconds / SlotSeconds) - 2);
    }

    [Fact]
    public async Task HostKilledMidRun_AnotherHostCompletesTheSlot_OneSetOfFilesAndOneManifest()
    {
        var destinations = new CountingDestinationProvider();
        var gated = new GatedAudienceSource(ClusterHost.Source("vip"));
        var victim = Host("host-1", destinations, gated, slotSeconds: 3600);
        await victim.StartAsync();
        await victim.Manager.CreateAsync(Callers.Admin, ClusterHost.Dataflow("df", Schedule(), "vip"));
        await victim.Services.GetRequiredService<IExportScheduler>().RefreshAsync("df");
        // The current hour's occurrence is due and not done: host-1 starts it and hangs in the middle of reading.
        await gated.Entered.WaitAsync(TimeSpan.FromSeconds(30));
        var slot = new SecondsCalendar(3600).Previous(Schedule(), DateTimeOffset.UtcNow)!.Value;
        var runId = SlotRunId.For("df", "vip", slot);
        (await victim.Store.GetRunAsync("df", runId))!.Host.Should().Be("host-1");

        // Kill: no more check-ins or lease renewals, and the hung export never writes again.
        gated.Freeze();
        await victim.Services.GetRequiredService<QuartzExportScheduler>().AbandonAsync();
        await ((IAsyncDisposable)victim.Store).DisposeAsync();

        await using var survivor = Host("host-2", destinations, ClusterHost.Source("vip"), slotSeconds: 3600);
        await survivor.StartAsync();
        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        ExportRunRecord? run = null;
        AudienceExportState? state = null;
        while (DateTimeOffset.UtcNow < deadline)
        {
            // The slot's state is saved after its run's record: waiting for the record alone would race it.
            run = await survivor.Store.GetRunAsync("df", runId);
            state = await survivor.Store.GetAudienceStateAsync("df", "vip");
            if (run is { Status: ExportRunStatus.Succeeded } && state?.LastCompletedSlot == slot)
            {
                break;
            }

            await Task.Delay(500);
        }

        Report([.. await survivor.Manager.ListRunsAsync(Callers.Admin, "df")], destinations);
        run!.Status.Should().Be(ExportRunStatus.Succeeded);
        run.Host.Should().Be("host-2");
        (await survivor.Manager.ListRunsAsync(Callers.Admin, "df")).Should().ContainSingle("the retry has the slot's run id and replaces the record");
        var files = destinations.Files.Files.Keys.ToList();
        files.Count(f => f.Contains("manifest", StringComparison.Ordinal)).Should().Be(1);
        files.Where(f => !f.Contains("manifest", StringComparison.Ordinal)).Should().ContainSingle().Which.Should().Contain("vip");
        destinations.Commits.Values.Should().OnlyContain(n => n == 1);
        state!.LastCompletedSlot.Should().Be(slot);
        await survivor.StopAsync();
    }

    [Fact]
    public async Task TwoHosts_IncrementalDatasetExport_EachSlotRunsOnce_AndEveryRowIsExportedOnce()
    {
        var destinations = new CountingDestinationProvider();
        var schema = new ExportSchema([new ExportColumn("seq", ExportColumnType.Int64), new ExportColumn("event", ExportColumnType.String)]);
        var events = new InMemoryDatasetSource().AddDataset("events", schema, [[1L, "signup"], [2L, "login"]]);
        var next = 3L;
        var hosts = Enumerable.Range(1, 2).Select(i => Host($"host-{i}", destinations, ClusterHost.Source("vip"), datasets: events)).ToList();
        await Task.WhenAll(hosts.Select(h => h.StartAsync()));
        await hosts[0].Services.GetRequiredService<IDatasetExportManager>().CreateAsync(Callers.Admin, new DatasetExportDefinition
        {
            Id = "events-export",
            Source = "events",
            DatasetId = "events",
            Destination = ClusterHost.DestinationName,
            Mode = ExportMode.FirstFullThenIncremental,
            WatermarkColumn = "seq",
            Schedule = Schedule(),
        });
        var started = DateTimeOffset.UtcNow;
        await Task.WhenAll(hosts.Select(h => h.Services.GetRequiredService<IExportScheduler>().RefreshAsync("events-export").AsTask()));

        // Events keep arriving while the slots run, on both hosts.
        while (DateTimeOffset.UtcNow - started < TimeSpan.FromSeconds(30))
        {
            events.AppendRows("events", [[next, $"event-{next}"]]);
            next++;
            await Task.Delay(250);
        }

        var stopped = DateTimeOffset.UtcNow;
        foreach (var host in hosts)
        {
            await host.DisposeAsync();
        }

        await using var reader = Host("reader", destinations, ClusterHost.Source("vip"), scheduler: false);
        var runs = (await reader.Manager.ListRunsAsync(Callers.Admin, "events-export")).OrderBy(r => r.ScheduledTime).ToList();
        Report(runs, destinations);
        runs.Should().OnlyContain(r => r.Kind == ExportFlowKind.DatasetExport && r.Status == ExportRunStatus.Succeeded && r.Trigger == ExportRunTrigger.Scheduled);
        runs.Should().OnlyContain(r => r.RunId == SlotRunId.For("events-export", "events", r.ScheduledTime));
        runs.Select(r => r.Host).Distinct().Should().BeSubsetOf(["host-1", "host-2"]);
        var slots = runs.Select(r => r.ScheduledTime).ToList();
        slots.Zip(slots.Skip(1), (a, b) => b - a).Should().OnlyContain(d => d == TimeSpan.FromSeconds(SlotSeconds), "every occurrence ran, once");
        runs.Count.Should().BeGreaterThanOrEqualTo((int)((stopped - started).TotalSeconds / SlotSeconds) - 2);
        destinations.Commits.Values.Should().OnlyContain(n => n == 1, "no file is written twice");

        // Every event up to the last slot's read is in exactly one file: the stored watermark moved on only after commits.
        var exported = destinations.Files.Files
            .Where(f => f.Key.EndsWith(".csv", StringComparison.Ordinal))
            .SelectMany(f => Encoding.UTF8.GetString(f.Value).Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1))
            .Select(line => long.Parse(line.Split(',')[0], System.Globalization.CultureInfo.InvariantCulture))
            .ToList();
        exported.Should().OnlyHaveUniqueItems();
        exported.Order().Should().Equal(Enumerable.Range(1, (int)exported.Max()).Select(i => (long)i), "no event is skipped");
        exported.Count.Should().Be((int)runs.Sum(r => r.RowsExported));
        var state = await reader.Store.GetAudienceStateAsync("events-export", "events");
        state!.DatasetWatermark.Should().Be(DatasetWatermark.FromInt64(exported.Max()), "an integer watermark re-reads only its newest value");
    }

    private static ExportSchedule Schedule() => new() { Frequency = ScheduleFrequency.Daily, StartDate = new DateOnly(2026, 1, 1), StartTime = "00:00" };

    private ClusterHost Host(string name, CountingDestinationProvider destinations, IAudienceSource source, bool scheduler = true, int slotSeconds = SlotSeconds, IDatasetSource? datasets = null) =>
        new(name, _db, destinations, source, builder =>
        {
            if (datasets is not null)
            {
                builder.AddDatasetSource("events", datasets);
            }

            if (!scheduler)
            {
                return;
            }

            builder.AddQuartzScheduler(q =>
            {
                q.ConnectionString = _db.ConnectionString;
                q.InstanceId = name;
                q.PollInterval = TimeSpan.FromSeconds(1);
                q.MaxConcurrentRuns = 1;
                q.RetryDelay = TimeSpan.FromSeconds(2);
                q.MisfireThreshold = TimeSpan.FromSeconds(30);
                q.CheckinInterval = TimeSpan.FromSeconds(1);
                // Quartz's default: a host that is only slow is not taken for dead.
                q.CheckinMisfireThreshold = TimeSpan.FromSeconds(7.5);
            });
            builder.Services.AddSingleton<SlotCalendar>(new SecondsCalendar(slotSeconds));
        }, lease: TimeSpan.FromSeconds(10));

    private void Report(IReadOnlyList<ExportRunRecord> runs, CountingDestinationProvider destinations)
    {
        var text = new StringBuilder();
        foreach (var run in runs)
        {
            text.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"{run.ScheduledTime:HH:mm:ss} {run.AudienceIds[0]} {run.RunId} {run.Status} on {run.Host}");
        }

        var byHost = string.Join(", ", runs.GroupBy(r => r.Host).Select(g => $"{g.Key}={g.Count()}"));
        text.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"{destinations.Files.Files.Count} files, {destinations.Commits.Count} committed paths; by host: {byHost}");
        output.WriteLine(text.ToString());
    }
}
