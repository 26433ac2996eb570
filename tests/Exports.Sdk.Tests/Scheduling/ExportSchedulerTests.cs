using System.Text;
using Exports.Sdk.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Microsoft.VisualBasic.FileIO;

namespace Exports.Sdk.Tests.Scheduling;

/// <summary>The in-process scheduler under a fake clock: each test drives ticks and waits for the runs they start.</summary>
public sealed class ExportSchedulerTests : IDisposable
{
    private static readonly DateTimeOffset Day1 = new(2026, 6, 15, 6, 30, 0, TimeSpan.Zero);
    private readonly TempFolder _drop = new();
    private readonly TempFolder _store = new();
    private readonly FlakyDestinationProvider _flaky = new();

    [Fact]
    public async Task AfterSegmentEvaluation_RunsOnlyAfterTheSignal_Once()
    {
        await using var host = Host(ScheduleTrigger.AfterSegmentEvaluation);
        var id = await CreateAsync(host, ScheduleTrigger.AfterSegmentEvaluation);
        await CompleteSlotAsync(host, id, Day1.AddDays(-1));
        host.Clock.SetUtcNow(Day1.AddMinutes(1));

        await TickAsync(host);
        (await RunsAsync(host, id)).Should().BeEmpty("the audience's evaluation has not finished");

        host.Clock.SetUtcNow(Day1.AddMinutes(40));
        await Scheduler(host).NotifyAudienceEvaluatedAsync(ManagementHost.Source, "vip", Day1.AddMinutes(35));
        await TickAsync(host);
        await TickAsync(host);

        var run = (await RunsAsync(host, id)).Should().ContainSingle().Which;
        run.Status.Should().Be(ExportRunStatus.Succeeded);
        run.ScheduledTime.Should().Be(Day1);
        run.RunId.Should().Be(SlotRunId.For(id, "vip", Day1));
    }

    [Fact]
    public async Task AfterSegmentEvaluation_SignalPushedBeforeARestart_IsNotLost()
    {
        // Issue 21, item 5: pushed signals were kept in memory only; the restarted host waited for ever.
        string id;
        await using (var first = Host(ScheduleTrigger.AfterSegmentEvaluation, fileStore: true))
        {
            id = await CreateAsync(first, ScheduleTrigger.AfterSegmentEvaluation);
            await CompleteSlotAsync(first, id, Day1.AddDays(-1));
            first.Clock.SetUtcNow(Day1.AddMinutes(40));
            await Scheduler(first).NotifyAudienceEvaluatedAsync(ManagementHost.Source, "vip", Day1.AddMinutes(35));
        }

        await using var second = Host(ScheduleTrigger.AfterSegmentEvaluation, fileStore: true, clock: new FakeTimeProvider(Day1.AddMinutes(41)));
        await TickAsync(second);
        await TickAsync(second);

        var run = (await RunsAsync(second, id)).Should().ContainSingle().Which;
        run.Status.Should().Be(ExportRunStatus.Succeeded);
        run.ScheduledTime.Should().Be(Day1);
        (await second.Store.GetAudienceStateAsync(id, "vip"))!.LastEvaluatedAt.Should().Be(Day1.AddMinutes(35), "the run's own save keeps the signal");
    }

    [Fact]
    public async Task ScheduledRun_DueWhileTheSourceRefreshes_WaitsThenRunsOnce()
    {
        var source = new RefreshingAudienceSource(ManagementHost.DefaultSource()) { IsRefreshing = true };
        await using var host = Host(source: source);
        var id = await CreateAsync(host);
        await CompleteSlotAsync(host, id, Day1.AddDays(-1));
        host.Clock.SetUtcNow(Day1.AddMinutes(1));

        await TickAsync(host);
        host.Clock.Advance(TimeSpan.FromMinutes(10));
        await TickAsync(host);
        (await RunsAsync(host, id)).Should().BeEmpty("the source is refreshing the audience");

        source.IsRefreshing = false;
        await TickAsync(host);
        await TickAsync(host);

        (await RunsAsync(host, id)).Should().ContainSingle().Which.ScheduledTime.Should().Be(Day1);
    }

    [Fact]
    public async Task Incremental_FullThenChangesThenFailureThenRetry_ExportsEachChangeExactlyOnce()
    {
        var source = new InMemoryAudienceSource();
        var members = new Dictionary<string, AudienceMember>
        {
            ["a"] = Member("a", "Ann", MembershipStatus.Realized, Day1.AddDays(-10)),
            ["b"] = Member("b", "Bob", MembershipStatus.Realized, Day1.AddDays(-9)),
            ["c"] = Member("c", "Cy", MembershipStatus.Realized, Day1.AddDays(-8)),
        };
        void Publish() => source.AddAudience(new AudienceInfo("vip", "VIP"), members.Values);
        Publish();
        await using var host = Host(source: source);
        var id = await CreateAsync(host, mode: ExportMode.FirstFullThenIncremental, includeStatus: true);
        await CompleteSlotAsync(host, id, Day1.AddDays(-1));

        // Day 1: the first run is full.
        host.Clock.SetUtcNow(Day1.AddMinutes(1));
        await TickAsync(host);
        Rows(host, id, Day1).Select(r => r[0]).Should().BeEquivalentTo("a", "b", "c");

        // Day 2: Ann's attributes change, Bob leaves, Dee joins.
        members["a"] = Member("a", "Ann-renamed", MembershipStatus.Realized, Day1.AddDays(-10)) with { AttributesChangedAt = Day1.AddHours(3) };
        members["b"] = Member("b", "Bob", MembershipStatus.Exited, Day1.AddHours(4));
        members["d"] = Member("d", "Dee", MembershipStatus.Realized, Day1.AddHours(5));
        Publish();
        host.Clock.SetUtcNow(Day1.AddDays(1).AddMinutes(1));
        await TickAsync(host);
        Rows(host, id, Day1.AddDays(1)).Select(r => (r[0], r[1], r[2])).Should().BeEquivalentTo(new[]
        {
            ("a", "Ann-renamed", "realized"), ("b", "Bob", "exited"), ("d", "Dee", "realized"),
        });
        var watermark = (await host.Store.GetAudienceStateAsync(id, "vip"))!.Watermark;

        // Day 3: Eve joins, but the destination is down.
        members["e"] = Member("e", "Eve", MembershipStatus.Realized, Day1.AddDays(1).AddHours(2));
        Publish();
        _flaky.FailDataFiles = true;
        host.Clock.SetUtcNow(Day1.AddDays(2).AddMinutes(1));
        await TickAsync(host);
        var failed = (await RunsAsync(host, id)).First();
        failed.Status.Should().Be(ExportRunStatus.Failed);
        (await host.Store.GetAudienceStateAsync(id, "vip"))!.Watermark.Should().Be(watermark, "a failed run never moves the watermark");
        _drop.ListAllFiles().Where(f => f.Contains("vip_1781", StringComparison.Ordinal) && f.Contains(Stamp(Day1.AddDays(2)), StringComparison.Ordinal)).Should().BeEmpty();

        // The retry of day 3 exports day 3's change once, under the same run id and names.
        _flaky.FailDataFiles = false;
        host.Clock.Advance(TimeSpan.FromMinutes(6));
        await TickAsync(host);
        Rows(host, id, Day1.AddDays(2)).Select(r => r[0]).Should().Equal("e");
        var runs = await RunsAsync(host, id);
        runs.Should().HaveCount(3, "the retry is recorded under the failed attempt's run id");
        runs[0].RunId.Should().Be(failed.RunId);
        runs[0].Status.Should().Be(ExportRunStatus.Succeeded);
        (await host.Store.GetAudienceStateAsync(id, "vip"))!.Watermark.Should().BeAfter(watermark!.Value);
    }

    [Fact]
    public async Task Restart_MidSchedule_NeitherRepeatsNorSkipsASlot()
    {
        string id;
        await using (var first = Host(fileStore: true))
        {
            id = await CreateAsync(first);
            await CompleteSlotAsync(first, id, Day1.AddDays(-1));
            first.Clock.SetUtcNow(Day1.AddMinutes(1));
            await TickAsync(first);
        }

        await using var second = Host(fileStore: true, clock: new FakeTimeProvider(Day1.AddHours(2)));
        await TickAsync(second);
        (await RunsAsync(second, id)).Should().ContainSingle("the slot already ran before the restart");

        second.Clock.SetUtcNow(Day1.AddDays(1).AddMinutes(2));
        await TickAsync(second);

        (await RunsAsync(second, id)).Select(r => r.ScheduledTime).Should().Equal(Day1.AddDays(1), Day1);
    }

    [Fact]
    public async Task CrashAfterDataFilesBeforeManifest_RetryReplacesTheFiles_NoDuplicates()
    {
        string id;
        _flaky.FailManifests = true;
        await using (var first = Host(fileStore: true))
        {
            id = await CreateAsync(first);
            await CompleteSlotAsync(first, id, Day1.AddDays(-1));
            first.Clock.SetUtcNow(Day1.AddMinutes(1));
            await TickAsync(first);
            (await RunsAsync(first, id)).Single().Status.Should().Be(ExportRunStatus.Failed);
            _drop.ListAllFiles().Should().ContainSingle(f => f.EndsWith(".csv", StringComparison.Ordinal)).And.NotContain(f => f.Contains("manifest", StringComparison.Ordinal));
        }

        _flaky.FailManifests = false;
        await using var second = Host(fileStore: true, clock: new FakeTimeProvider(Day1.AddMinutes(30)));
        await TickAsync(second);

        var runs = await RunsAsync(second, id);
        runs.Should().ContainSingle().Which.Status.Should().Be(ExportRunStatus.Succeeded);
        var files = _drop.ListAllFiles();
        files.Should().HaveCount(2);
        files.Should().ContainSingle(f => f.EndsWith(".csv", StringComparison.Ordinal));
        files.Should().ContainSingle(f => f == $"manifest-drop-{SlotRunId.For(id, "vip", Day1)}.json");
    }

    [Theory]
    [InlineData(MissedRunPolicy.RunOnce, 1)]
    [InlineData(MissedRunPolicy.Skip, 0)]
    public async Task Downtime_ThreeDaysOnADailySchedule_FollowsTheMissedRunPolicy(MissedRunPolicy policy, int expectedRuns)
    {
        await using var host = Host(policy: policy);
        var id = await CreateAsync(host);
        await CompleteSlotAsync(host, id, Day1);
        host.Clock.SetUtcNow(Day1.AddDays(3).AddHours(4));

        await TickAsync(host);
        await TickAsync(host);

        var runs = await RunsAsync(host, id);
        runs.Select(r => r.ScheduledTime).Should().Equal(Enumerable.Repeat(Day1.AddDays(3), expectedRuns), "the one catch-up run is for the latest missed occurrence");
        (await host.Store.GetAudienceStateAsync(id, "vip"))!.LastCompletedSlot.Should().Be(Day1.AddDays(3));
        host.Clock.SetUtcNow(Day1.AddDays(4).AddMinutes(1));
        await TickAsync(host);
        (await RunsAsync(host, id)).Should().HaveCount(expectedRuns + 1, "the next occurrence runs on time");
    }

    [Fact]
    public async Task ScheduleSwitchedOffWhileRunning_StopsRuns_WithoutRestart()
    {
        await using var host = Host();
        var id = await CreateAsync(host);
        await CompleteSlotAsync(host, id, Day1.AddDays(-1));
        var stored = await host.Store.GetDataflowAsync(id);
        await host.Manager.SetScheduleEnabledAsync(Callers.Admin, id, false, stored!.ETag);
        await Scheduler(host).RefreshAsync(id);
        host.Clock.SetUtcNow(Day1.AddMinutes(1));

        await TickAsync(host);

        (await RunsAsync(host, id)).Should().BeEmpty();
        (await Scheduler(host).GetUpcomingAsync(Day1.AddDays(3))).Should().BeEmpty("a switched-off schedule has no upcoming runs");
        await host.Manager.SetScheduleEnabledAsync(Callers.Admin, id, true, (await host.Store.GetDataflowAsync(id))!.ETag);
        (await Scheduler(host).GetUpcomingAsync(Day1.AddDays(3))).Select(r => r.Time).Should().Equal(Day1.AddDays(1), Day1.AddDays(2));
    }

    [Fact]
    public async Task HostedService_UnderAFakeClock_RunsTheDueSlot()
    {
        await using var host = Host();
        var id = await CreateAsync(host);
        await CompleteSlotAsync(host, id, Day1.AddDays(-1));
        host.Clock.SetUtcNow(Day1.AddMinutes(-1));
        var service = host.Services.GetServices<IHostedService>().OfType<ExportScheduler>().Single();

        await service.StartAsync(CancellationToken.None);
        try
        {
            host.Clock.Advance(TimeSpan.FromMinutes(2));
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while ((await RunsAsync(host, id)).Count(r => r.Status == ExportRunStatus.Succeeded) == 0 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
                host.Clock.Advance(TimeSpan.FromSeconds(1));
            }
        }
        finally
        {
            await service.StopAsync(CancellationToken.None);
        }

        (await RunsAsync(host, id)).Should().ContainSingle().Which.ScheduledTime.Should().Be(Day1);
    }

    public void Dispose()
    {
        _drop.Dispose();
        _store.Dispose();
    }

    private static ExportScheduler Scheduler(ManagementHost host) => host.Services.GetRequiredService<ExportScheduler>();

    private static async Task TickAsync(ManagementHost host)
    {
        var scheduler = Scheduler(host);
        await scheduler.TickAsync(CancellationToken.None);
        await scheduler.WhenIdleAsync();
    }

    private static async Task<IReadOnlyList<ExportRunRecord>> RunsAsync(ManagementHost host, string id)
    {
        var runs = new List<ExportRunRecord>();
        await foreach (var run in host.Store.ListRunsAsync(id))
        {
            runs.Add(run);
        }

        return [.. runs.OrderByDescending(r => r.ScheduledTime)];
    }

    private static Task CompleteSlotAsync(ManagementHost host, string id, DateTimeOffset slot) =>
        host.Store.SaveAudienceStateAsync(new AudienceExportState { DataflowId = id, AudienceId = "vip", LastCompletedSlot = slot }).AsTask();

    private static AudienceMember Member(string id, string name, MembershipStatus status, DateTimeOffset at) =>
        new(new Dictionary<string, object?> { ["profileId"] = id, ["person.name.firstName"] = name }, status, at);

    private static string Stamp(DateTimeOffset slot) => slot.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

    private List<string[]> Rows(ManagementHost host, string id, DateTimeOffset slot)
    {
        var file = _drop.ListAllFiles().Single(f => f == $"drop_vip_{Stamp(slot)}.csv");
        using var parser = new TextFieldParser(new MemoryStream(_drop.ReadBytes(file)), Encoding.UTF8) { HasFieldsEnclosedInQuotes = true, TrimWhiteSpace = false };
        parser.SetDelimiters(",");
        var rows = new List<string[]>();
        while (!parser.EndOfData)
        {
            rows.Add(parser.ReadFields()!);
        }

        return [.. rows.Skip(1)];
    }

    private ManagementHost Host(
        ScheduleTrigger trigger = ScheduleTrigger.Scheduled,
        IAudienceSource? source = null,
        bool fileStore = false,
        FakeTimeProvider? clock = null,
        MissedRunPolicy policy = MissedRunPolicy.RunOnce) =>
        new(
            fileStore ? _store.Root : null,
            source,
            b => b.AddDestinationProvider(_flaky)
                .AddDestination("drop", FlakyDestinationProvider.TypeName, d => d.Settings["path"] = _drop.Root)
                .AddScheduler(o => o.MissedRuns = policy),
            clock ?? new FakeTimeProvider(Day1.AddHours(-12)));

    private static async Task<string> CreateAsync(ManagementHost host, ScheduleTrigger trigger = ScheduleTrigger.Scheduled, ExportMode mode = ExportMode.DailyFullExport, bool includeStatus = false)
    {
        var dataflow = new DataflowDefinition
        {
            Id = "nightly",
            Name = "Nightly",
            Source = ManagementHost.Source,
            Destination = "drop",
            Attributes = mode == ExportMode.FirstFullThenIncremental ? ["profileId", "person.name.firstName"] : ["person.email", "person.name.firstName"],
            IncludeMembershipStatus = includeStatus,
            Audiences =
            [
                new AudienceActivation
                {
                    AudienceId = "vip",
                    FileNameTemplate = "%DESTINATION_NAME%_%SEGMENT_ID%_%TIMESTAMP%",
                    Mode = mode,
                    Schedule = new ExportSchedule { Frequency = ScheduleFrequency.Daily, StartDate = new DateOnly(2026, 6, 1), StartTime = "06:30", Trigger = trigger },
                },
            ],
        };
        if ((await host.Store.GetDataflowAsync(dataflow.Id)) is null)
        {
            await host.Manager.CreateAsync(Callers.Admin, dataflow);
        }

        return dataflow.Id;
    }
}
