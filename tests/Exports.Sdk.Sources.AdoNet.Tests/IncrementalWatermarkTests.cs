using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Exports.Sdk.Sources.AdoNet.Tests;

/// <summary>
/// Issue 21, item 1: an incremental export's watermark comes from the data's own change times, not from the host's
/// clock, and a re-read overlap catches a change committed after the read began, each change exported once.
/// </summary>
public sealed class IncrementalWatermarkTests : IAsyncDisposable
{
    private const string Columns = """email AS "person.email", status AS "segmentMembership.status", changed_at AS "segmentMembership.lastQualificationTime" """;
    private static readonly DateTimeOffset HostStart = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly string _root = Directory.CreateTempSubdirectory("exports-watermark-").FullName;
    private readonly FakeTimeProvider _hostClock = new(HostStart);
    private ServiceProvider? _provider;

    /// <summary>The database's clock: an hour behind the host's.</summary>
    private DateTimeOffset DbNow => _hostClock.GetUtcNow().AddHours(-1);

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task IncrementalSlots_DatabaseClockAnHourBehind_AndALateCommit_ExportEveryChangeOnce(string engine)
    {
        await using var db = await ChangeLogDatabase.CreateAsync(engine);
        var slots = Build(db);
        var dataflow = Dataflow();
        var exported = new List<string>();

        // Slot 1, the full backfill.
        await db.UpsertAsync(1, "ana@example.com", "realized", DbNow.AddMinutes(-10));
        exported.AddRange(await RunSlotAsync(slots, dataflow));

        // Between slots, by the database's clock (still before the host's time of slot 1).
        _hostClock.Advance(TimeSpan.FromHours(1));
        await db.UpsertAsync(2, "bo@example.com", "realized", DbNow.AddMinutes(-40));
        exported.AddRange(await RunSlotAsync(slots, dataflow));

        // A transaction stamps its change before another commits a later one, and commits only after slot 3 has read.
        _hostClock.Advance(TimeSpan.FromHours(1));
        await db.UpsertAsync(3, "cy@example.com", "realized", DbNow.AddMinutes(10));
        await using (var late = await db.BeginAsync())
        {
            await using var connection = late.Connection!;
            await db.UpsertAsync(4, "dee@example.com", "realized", DbNow.AddMinutes(7), late);
            exported.AddRange(await RunSlotAsync(slots, dataflow));
            await late.CommitAsync();
        }

        // Slot 4: the late change, and an update (ana leaves the audience).
        _hostClock.Advance(TimeSpan.FromHours(1));
        await db.UpsertAsync(1, "ana@example.com", "exited", DbNow.AddMinutes(-50));
        exported.AddRange(await RunSlotAsync(slots, dataflow));

        // Slot 5 finds nothing new.
        _hostClock.Advance(TimeSpan.FromHours(1));
        exported.AddRange(await RunSlotAsync(slots, dataflow));

        exported.Should().BeEquivalentTo(
            ["ana@example.com,realized", "bo@example.com,realized", "cy@example.com,realized", "dee@example.com,realized", "ana@example.com,exited"],
            "every change reaches the partner exactly once");
        var state = await _provider!.GetRequiredService<IExportStore>().GetAudienceStateAsync(dataflow.Id, "vip");
        state!.Watermark.Should().Be(HostStart.AddHours(1).AddMinutes(10 - 5), "the newest change read (cy, by the database's clock) less the 5-minute overlap");
    }

    [Fact]
    public async Task ARowDatedInTheFuture_DoesNotHideTheChangesAfterIt_AndIsExportedOnce()
    {
        await using var db = await ChangeLogDatabase.CreateAsync("sqlite");
        var slots = Build(db);
        var dataflow = Dataflow();
        var exported = new List<string>();

        await db.UpsertAsync(1, "ana@example.com", "realized", DbNow.AddMinutes(-10));
        await db.UpsertAsync(2, "typo@example.com", "realized", new DateTimeOffset(2099, 1, 1, 0, 0, 0, TimeSpan.Zero));
        exported.AddRange(await RunSlotAsync(slots, dataflow));
        _hostClock.Advance(TimeSpan.FromHours(1));
        await db.UpsertAsync(3, "bo@example.com", "realized", DbNow.AddMinutes(-30));
        exported.AddRange(await RunSlotAsync(slots, dataflow));
        _hostClock.Advance(TimeSpan.FromHours(1));
        exported.AddRange(await RunSlotAsync(slots, dataflow));
        _hostClock.Advance(TimeSpan.FromHours(1));
        await db.UpsertAsync(4, "cy@example.com", "realized", DbNow.AddMinutes(-30));
        exported.AddRange(await RunSlotAsync(slots, dataflow));

        exported.Should().BeEquivalentTo(["ana@example.com,realized", "typo@example.com,realized", "bo@example.com,realized", "cy@example.com,realized"],
            "a change time years ahead must not move the watermark there, nor be exported again");
    }

    public async ValueTask DisposeAsync()
    {
        if (_provider is not null)
        {
            await _provider.DisposeAsync();
        }

        Directory.Delete(_root, recursive: true);
    }

    private static DataflowDefinition Dataflow() => new()
    {
        Id = "members-hourly",
        Source = "crm",
        Destination = "out",
        Attributes = ["person.email"],
        IncludeMembershipStatus = true,
        Audiences =
        [
            new AudienceActivation
            {
                AudienceId = "vip",
                Mode = ExportMode.FirstFullThenIncremental,
                FileNameTemplate = "%DESTINATION_NAME%_%SEGMENT_ID%_%DATETIME(YYYYMMdd_HHmm)%",
                // The test runs the slots itself, at the host's hours.
                Schedule = new ExportSchedule { Frequency = ScheduleFrequency.Every3Hours, StartDate = DateOnly.FromDateTime(HostStart.UtcDateTime) },
            },
        ],
    };

    /// <summary>Runs the slot at the host's current time and returns the rows of the files it wrote, read back from the folder.</summary>
    private async Task<IEnumerable<string>> RunSlotAsync(IExportSlotRunner slots, DataflowDefinition dataflow)
    {
        var record = await slots.RunSlotAsync(ScheduledEntry.For(dataflow, dataflow.Audiences[0]), _hostClock.GetUtcNow());
        record.Status.Should().Be(ExportRunStatus.Succeeded, string.Join("; ", record.Errors));
        var file = Path.Combine(_root, $"out_vip_{_hostClock.GetUtcNow():yyyyMMdd_HHmm}.csv");
        // email,status (the change time column is checked through the watermark, not here).
        return File.Exists(file) ? File.ReadAllLines(file).Skip(1).Select(line => string.Join(',', line.Split(',')[..2])).ToList() : [];
    }

    private IExportSlotRunner Build(ChangeLogDatabase db)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_hostClock);
        services.AddExports().UseInMemoryExportStore()
            .AddAdoNetSource("crm", o =>
            {
                o.ConnectionFactory = () => db.NewConnection();
                o.ListAudiencesSql = "SELECT 'vip' AS id, 'VIP' AS name, 'Best customers' AS description";
                o.MembersSql = $"SELECT {Columns} FROM members WHERE status = 'realized' ORDER BY id";
                o.ChangedMembersSql = $"SELECT {Columns} FROM members WHERE changed_at >= @since ORDER BY id";
                o.ColumnTypes[AudienceColumns.MembershipStatusTime] = ExportColumnType.Timestamp;
            })
            .AddLocalFolderDestination("out", _root);
        _provider = services.BuildServiceProvider();
        return _provider.GetRequiredService<IExportSlotRunner>();
    }
}
