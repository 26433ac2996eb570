using System.IO.Compression;
using System.Security.Claims;
using System.Text.Json;
using Exports.Sdk.ClusterTests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Exports.Sdk.Sources.AdoNet.Tests;

/// <summary>
/// Issue 20: a dataset export managed by the SDK, on the in-process scheduler, over a simulated day (FakeTimeProvider)
/// against a real PostgreSQL table: incremental every 3 hours from the stored watermark, inserts and updates between
/// slots, a late commit, and one failed slot retried.
/// </summary>
public sealed class DatasetScheduleTests : IAsyncLifetime
{
    private const string ExportId = "events-3h";
    private static readonly DateTimeOffset Day = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly ClaimsPrincipal Admin = new(new ClaimsIdentity([new Claim(ClaimTypes.Name, "ada"), new Claim(ClaimTypes.Role, ExportRoles.Administrator)], "test"));
    private readonly string _root = Directory.CreateTempSubdirectory("exports-dataset-day-").FullName;
    private readonly FakeTimeProvider _clock = new(Day.AddHours(-1));
    private readonly List<(long Id, int Amount)> _changes = [];
    private readonly List<IHostedService> _started = [];
    private TestDatabase _db = null!;
    private ServiceProvider _provider = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        await ExecuteAsync("""
            CREATE TABLE events (id bigint PRIMARY KEY, kind text NOT NULL, amount int NOT NULL, updated_at timestamptz NOT NULL);
            CREATE TABLE gate (open boolean NOT NULL);
            INSERT INTO gate VALUES (true);
            """);
    }

    public async Task DisposeAsync()
    {
        foreach (var hosted in _started.AsEnumerable().Reverse())
        {
            await hosted.StopAsync(CancellationToken.None);
        }

        if (_provider is not null)
        {
            await _provider.DisposeAsync();
        }

        await _db.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task PostgreSqlTable_Every3HoursOverASimulatedDay_WithEditsALateCommitAndAFailedSlotRetried_ExportsEveryChangeOnce()
    {
        Build();
        var manager = _provider.GetRequiredService<IDatasetExportManager>();
        await manager.CreateAsync(Admin, new DatasetExportDefinition
        {
            Id = ExportId,
            Source = "pg",
            DatasetId = "events",
            Destination = "lake",
            Mode = ExportMode.FirstFullThenIncremental,
            WatermarkColumn = "updated_at",
            Schedule = new ExportSchedule { Frequency = ScheduleFrequency.Every3Hours, StartDate = DateOnly.FromDateTime(Day.UtcDateTime), StartTime = "00:00" },
        });
        for (var id = 1; id <= 3; id++)
        {
            await ChangeAsync(id, "order", id * 10, Day.AddHours(-5 + id));
        }

        await StartAsync();
        var slots = Enumerable.Range(0, 8).Select(i => Day.AddHours(3 * i)).ToList();
        (await RunSlotAsync(slots[0])).Status.Should().Be(ExportRunStatus.Succeeded, "the first run is the full backfill");

        for (var i = 1; i < slots.Count; i++)
        {
            var slot = slots[i];
            await ChangeAsync(10 + i, "order", 1000 + i, slot.AddHours(-2));
            await ChangeAsync(1 + (i % 3), "refund", 2000 + i, slot.AddMinutes(-30));
            if (i == 2)
            {
                // Stamped before the update above but committed after this slot has read: the next slot's overlap catches it.
                await using var connection = new NpgsqlConnection(_db.ConnectionString);
                await connection.OpenAsync();
                await using var late = await connection.BeginTransactionAsync();
                await UpsertAsync(connection, 100, "late", 3000, slot.AddMinutes(-33));
                (await RunSlotAsync(slot)).Status.Should().Be(ExportRunStatus.Succeeded);
                await late.CommitAsync();
                _changes.Add((100, 3000));
                continue;
            }

            if (i == 4)
            {
                // The table is unreadable at this slot: the run fails, is recorded, and nothing moves; the retry has the
                // slot's run id, exports what the failed attempt did not, and replaces its record.
                await ExecuteAsync("UPDATE gate SET open = false");
                var failed = await RunSlotAsync(slot);
                failed.Status.Should().Be(ExportRunStatus.Failed);
                failed.Errors.Should().ContainSingle().Which.Should().Contain($"Dataset export '{ExportId}'").And.Contain("division by zero");
                Directory.Exists(FolderOf(slot)).Should().BeFalse("a failed run leaves nothing at the destination");
                await ExecuteAsync("UPDATE gate SET open = true");
                (await RunSlotAsync(slot, retryAfter: TimeSpan.FromMinutes(10))).Status.Should().Be(ExportRunStatus.Succeeded);
                continue;
            }

            (await RunSlotAsync(slot)).Status.Should().Be(ExportRunStatus.Succeeded);
        }

        // Every change exactly once, read back from the files at the destination.
        var exported = slots.SelectMany(ReadSlot).ToList();
        exported.Should().OnlyHaveUniqueItems("no change is exported twice").And.BeEquivalentTo(_changes, "every change reaches the destination");

        // The seed's layout: <folder>/<datasetId>/exportTime=YYYYMMDDHHMM/, compressed JSON ending .json.gz, a manifest per run.
        Directory.GetDirectories(Path.Combine(_root, "events")).Select(Path.GetFileName)
            .Should().BeEquivalentTo(slots.Select(s => $"exportTime={s:yyyyMMddHHmm}"));
        foreach (var slot in slots)
        {
            var files = Directory.GetFiles(FolderOf(slot)).Select(Path.GetFileName).ToList();
            files.Should().ContainSingle(f => f!.EndsWith(".json.gz", StringComparison.Ordinal) && f.StartsWith("events-" + SlotRunId.For(ExportId, "events", slot), StringComparison.Ordinal));
            var manifest = files.Should().ContainSingle(f => f!.EndsWith(".json", StringComparison.Ordinal) && f.Contains("manifest", StringComparison.Ordinal)).Which;
            using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(FolderOf(slot), manifest!)));
            document.RootElement.GetProperty("exportResults").EnumerateArray().Should().ContainSingle()
                .Which.GetProperty("rows").GetInt64().Should().Be(ReadSlot(slot).Count());
        }

        // The runs, listed beside audience runs through the management API, with their metrics.
        var runs = await _provider.GetRequiredService<IExportManager>().ListRunsAsync(Admin, ExportId);
        runs.Should().HaveCount(slots.Count, "the retry replaced the failed attempt's record");
        runs.Should().OnlyContain(r => r.Kind == ExportFlowKind.DatasetExport && r.Trigger == ExportRunTrigger.Scheduled && r.Status == ExportRunStatus.Succeeded);
        foreach (var run in runs)
        {
            run.RowsExported.Should().Be(ReadSlot(run.ScheduledTime).Count());
            run.Bytes.Should().BeGreaterThan(0);
        }

        runs.Single(r => r.ScheduledTime == slots[0]).RowsExported.Should().Be(3);
        runs.Single(r => r.ScheduledTime == slots[3]).Entries.Single().RowsSkipped.Should().ContainKey("exported by the previous run (re-read in the overlap)");
        var managed = await manager.GetAsync(Admin, ExportId);
        managed!.Watermark.Should().Be(DatasetWatermark.FromTimestamp(slots[^1].AddMinutes(-30 - 5)), "the newest change exported, less the 5-minute overlap");
        managed.LastRun!.RunId.Should().Be(SlotRunId.For(ExportId, "events", slots[^1]));
    }

    private string FolderOf(DateTimeOffset slot) => Path.Combine(_root, "events", $"exportTime={slot:yyyyMMddHHmm}");

    /// <summary>The (id, amount) of every row of a slot's files, read back from the gzip JSON.</summary>
    private IEnumerable<(long Id, int Amount)> ReadSlot(DateTimeOffset slot)
    {
        foreach (var file in Directory.GetFiles(FolderOf(slot), "*.json.gz"))
        {
            using var reader = new StreamReader(new GZipStream(File.OpenRead(file), CompressionMode.Decompress));
            while (reader.ReadLine() is { Length: > 0 } line)
            {
                using var row = JsonDocument.Parse(line);
                yield return (row.RootElement.GetProperty("id").GetInt64(), row.RootElement.GetProperty("amount").GetInt32());
            }
        }
    }

    /// <summary>Moves the clock to the slot (or past it, for a retry), wakes the scheduler and waits for the slot's run to end.</summary>
    private async Task<ExportRunRecord> RunSlotAsync(DateTimeOffset slot, TimeSpan? retryAfter = null)
    {
        _clock.SetUtcNow(slot + (retryAfter ?? TimeSpan.Zero));
        var store = _provider.GetRequiredService<IExportStore>();
        var runId = SlotRunId.For(ExportId, "events", slot);
        var previous = await store.GetRunAsync(ExportId, runId);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        SchedulerHealth? scheduler = null;
        ExportRunRecord? run = null;
        while (DateTime.UtcNow < deadline)
        {
            await _provider.GetRequiredService<IExportScheduler>().RefreshAsync(ExportId);
            run = await store.GetRunAsync(ExportId, runId);
            scheduler = (await _provider.GetRequiredService<IExportsHealth>().CheckAsync()).Scheduler;
            if (run is { IsActive: false } && run.CreatedAt != previous?.CreatedAt)
            {
                return run;
            }

            if (scheduler is { RunningExports: 0, RetryingAudiences.Count: > 0 } && run?.CreatedAt == previous?.CreatedAt)
            {
                // The slot waits for a retry this test did not plan (it failed before it had a record, or its retry time
                // was set after the clock moved): on this clock, time passes only when the test moves it.
                _clock.Advance(TimeSpan.FromMinutes(10));
            }

            await Task.Delay(100);
        }

        var state = await store.GetAudienceStateAsync(ExportId, "events");
        throw new TimeoutException(
            $"The slot {slot:O} did not run: run {run?.Status.ToString() ?? "none"} created {run?.CreatedAt:O} (before: {previous?.Status.ToString() ?? "none"} created {previous?.CreatedAt:O}); " +
            $"clock {_clock.GetUtcNow():O}; scheduler loop running {scheduler?.IsRunning}, last tick {scheduler?.LastTickAt:O}, exports running {scheduler?.RunningExports}, " +
            $"retrying [{string.Join(", ", scheduler?.RetryingAudiences ?? [])}]; last completed slot {state?.LastCompletedSlot:O}.");
    }

    private async Task ChangeAsync(long id, string kind, int amount, DateTimeOffset at)
    {
        await using var connection = new NpgsqlConnection(_db.ConnectionString);
        await connection.OpenAsync();
        await UpsertAsync(connection, id, kind, amount, at);
        _changes.Add((id, amount));
    }

    private static async Task UpsertAsync(NpgsqlConnection connection, long id, string kind, int amount, DateTimeOffset at)
    {
        await using var command = new NpgsqlCommand(
            "INSERT INTO events VALUES (@id, @kind, @amount, @at) ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, amount = excluded.amount, updated_at = excluded.updated_at",
            connection);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("kind", kind);
        command.Parameters.AddWithValue("amount", amount);
        command.Parameters.AddWithValue("at", at.UtcDateTime);
        await command.ExecuteNonQueryAsync();
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_db.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private void Build()
    {
        var services = new ServiceCollection();
        services.AddSingleton(typeof(Microsoft.Extensions.Logging.ILogger<>), typeof(Microsoft.Extensions.Logging.Abstractions.NullLogger<>));
        services.AddSingleton<TimeProvider>(_clock);
        services.AddExports().UseInMemoryExportStore()
            .AddAdoNetSource("pg", o =>
            {
                o.ConnectionFactory = () => new NpgsqlConnection(_db.ConnectionString);
                o.ListAudiencesSql = "SELECT 'none' AS id, 'None' AS name, '' AS description";
                o.MembersSql = "SELECT 1 AS \"person.email\"";
                // The gate makes the read fail (division by zero) while it is closed: a source that is away.
                const string Gate = "1 / (SELECT CASE WHEN open THEN 1 ELSE 0 END FROM gate) = 1";
                var query = new AdoNetDatasetQuery
                {
                    Sql = $"SELECT id, kind, amount, updated_at FROM events WHERE {Gate} ORDER BY id",
                    IncrementalSql = $"SELECT id, kind, amount, updated_at FROM events WHERE updated_at > @since AND {Gate} ORDER BY id",
                };
                query.ColumnTypes["updated_at"] = ExportColumnType.Timestamp;
                o.Datasets["events"] = query;
            })
            .AddLocalFolderDestination("lake", _root, d =>
            {
                d.Output.Format.Name = JsonFormat.FormatName;
                d.Output.Format.Compression = ExportCompression.Gzip;
            })
            .AddScheduler(o =>
            {
                o.RetryDelay = TimeSpan.FromMinutes(10);
                o.MisfireThreshold = TimeSpan.FromHours(1);
            });
        _provider = services.BuildServiceProvider();
    }

    private async Task StartAsync()
    {
        foreach (var hosted in _provider.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
            _started.Add(hosted);
        }
    }
}
