using Exports.Sdk.ClusterTests;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Exports.Sdk.Stores.PostgreSql.Tests;

/// <summary>Several hosts (stores with their own data sources, or whole service providers) sharing one database.</summary>
public sealed class CrossHostStoreTests : IAsyncLifetime
{
    private TestDatabase _db = null!;

    public async Task InitializeAsync() => _db = await TestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task EnsureSchemaAsync_HostsStartingTogether_MigrateOnce()
    {
        var sources = Enumerable.Range(0, 4).Select(_ => _db.NewDataSource()).ToList();
        var stores = sources.Select((s, i) => new PostgreSqlExportStore(s, new PostgreSqlExportStoreOptions { HostName = $"h{i}" }, ownsDataSource: true)).ToList();

        await Task.WhenAll(stores.Select(s => Task.Run(() => s.EnsureSchemaAsync())));

        await using var connection = await sources[0].OpenConnectionAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM exports.schema_version", connection);
        ((long)(await count.ExecuteScalarAsync())!).Should().Be(StoreSchema.Migrations.Count, "each migration once");
        foreach (var store in stores)
        {
            await store.DisposeAsync();
        }
    }

    [Fact]
    public async Task UpdateDataflowAsync_TwoHostsWithTheSameETag_OneWins()
    {
        await using var h1 = new PostgreSqlExportStore(_db.NewDataSource(), new() { HostName = "host-1" }, ownsDataSource: true);
        await using var h2 = new PostgreSqlExportStore(_db.NewDataSource(), new() { HostName = "host-2" }, ownsDataSource: true);
        var created = await h1.CreateDataflowAsync(ClusterHost.Dataflow("df", null));
        var read = await h2.GetDataflowAsync("df");

        var results = await Task.WhenAll(new[] { (Store: h1, Name: "one"), (Store: h2, Name: "two") }.Select(w => Task.Run(async () =>
        {
            var changed = read!.Definition.Clone();
            changed.Name = w.Name;
            try
            {
                return (await w.Store.UpdateDataflowAsync(changed, created.ETag)).Definition.Name;
            }
            catch (ExportConcurrencyException)
            {
                return null;
            }
        })));

        var winner = results.Should().ContainSingle(r => r != null).Which;
        (await h1.GetDataflowAsync("df"))!.Definition.Name.Should().Be(winner);
        (await h2.GetDataflowAsync("df"))!.Definition.Name.Should().Be(winner);
    }

    [Fact]
    public async Task ExportNowAsync_TwoHostsOneAudience_OneRunsTheOtherGetsInProgressWithTheRunId()
    {
        var destinations = new CountingDestinationProvider();
        var gated = new GatedAudienceSource(ClusterHost.Source("vip"));
        await using var h1 = new ClusterHost("host-1", _db, destinations, gated);
        await using var h2 = new ClusterHost("host-2", _db, destinations, ClusterHost.Source("vip"));
        var admin = Callers.Admin;
        await h1.Manager.CreateAsync(admin, ClusterHost.Dataflow("df", null, "vip"));

        var first = h1.Manager.ExportNowAsync(admin, "df", ["vip"]);
        await gated.Entered.WaitAsync(TimeSpan.FromSeconds(30));
        var running = (await h2.Manager.ListRunsAsync(admin, "df")).Should().ContainSingle().Which;

        var second = async () => await h2.Manager.ExportNowAsync(admin, "df", ["vip"]);

        var refused = (await second.Should().ThrowAsync<ExportRunInProgressException>()).Which;
        refused.Conflicts.Should().Equal(new RunConflict("vip", running.RunId));
        refused.Message.Should().Contain(running.RunId);
        gated.Open();
        var done = await first;
        done.Status.Should().Be(ExportRunStatus.Succeeded);
        (await h2.Store.GetRunAsync("df", done.RunId))!.Host.Should().Be("host-1");
        (await h2.Manager.ExportNowAsync(admin, "df", ["vip"])).Status.Should().Be(ExportRunStatus.Succeeded, "the finished run freed the audience");
    }

    [Fact]
    public async Task TryStartRunAsync_HostStopsRenewing_AudienceIsFreedAfterTheLeaseAndTheRunFails()
    {
        // A lease long enough that a busy machine's late renewal (every third of it) still comes in time.
        var lease = new PostgreSqlExportStoreOptions { HostName = "host-1", RunLeaseDuration = TimeSpan.FromSeconds(6) };
        var h1 = new PostgreSqlExportStore(_db.NewDataSource(), lease, ownsDataSource: true);
        await using var h2 = new PostgreSqlExportStore(_db.NewDataSource(), new() { HostName = "host-2", RunLeaseDuration = TimeSpan.FromSeconds(6) }, ownsDataSource: true);
        (await h1.TryStartRunAsync(Run("r1"))).Started.Should().BeTrue();

        // Renewals keep it alive past its first lease.
        await Task.Delay(TimeSpan.FromSeconds(7));
        (await h2.TryStartRunAsync(Run("r2"))).Conflicts.Should().Equal(new RunConflict("vip", "r1"));

        await h1.DisposeAsync(); // the host "dies": no more renewals
        (await h2.TryStartRunAsync(Run("r2"))).Started.Should().BeFalse("the lease is still running");
        (await ClaimOnceFreeAsync(h2, Run("r2"))).Started.Should().BeTrue("the dead host's lease ran out");
        var dead = await h2.GetRunAsync("df", "r1");
        dead!.Status.Should().Be(ExportRunStatus.Failed);
        dead.Errors.Should().ContainSingle().Which.Should().Contain("host-1");
        (await h2.GetRunAsync("df", "r2"))!.Host.Should().Be("host-2");
    }

    [Fact]
    public async Task AHostThatLostItsClaim_CannotWriteItsOutcomeOverTheRecordOfTheHostThatTookTheRunOver()
    {
        // host-1 claims the slot, then loses the database longer than its lease; host-2 takes the slot over (same run id).
        var h1 = new PostgreSqlExportStore(_db.NewDataSource(), new() { HostName = "host-1", RunLeaseDuration = TimeSpan.FromSeconds(3) }, ownsDataSource: true);
        await using var h2 = new PostgreSqlExportStore(_db.NewDataSource(), new() { HostName = "host-2", RunLeaseDuration = TimeSpan.FromSeconds(3) }, ownsDataSource: true);
        (await h1.TryStartRunAsync(Run("slot"))).Started.Should().BeTrue();
        await h1.DisposeAsync();
        (await ClaimOnceFreeAsync(h2, Run("slot"))).Started.Should().BeTrue("host-1's lease ran out");

        // host-1 is back and finishes: its outcome must not replace host-2's claim.
        await using var back = new PostgreSqlExportStore(_db.NewDataSource(), new() { HostName = "host-1" }, ownsDataSource: true);
        var write = async () => await back.SaveRunAsync(Run("slot") with { Host = "host-1", Status = ExportRunStatus.Succeeded, EndedAt = DateTimeOffset.UtcNow });
        (await write.Should().ThrowAsync<ExportConcurrencyException>("the refusal is said, so host-1 does not count its run as delivered"))
            .Which.Message.Should().Contain("another claim of it holds the record");

        var stored = await h2.GetRunAsync("df", "slot");
        stored!.Host.Should().Be("host-2");
        stored.Status.Should().Be(ExportRunStatus.Running);
        (await h2.SaveRunProgressAsync(stored)).Should().NotBeNull("host-2 still holds the claim");
        await h2.SaveRunAsync(stored with { Status = ExportRunStatus.Succeeded, EndedAt = DateTimeOffset.UtcNow });
        (await h2.GetRunAsync("df", "slot"))!.Status.Should().Be(ExportRunStatus.Succeeded, "the holder's own outcome is written");
    }

    [Fact]
    public async Task ARunWhoseFinalRecordCouldNotBeWritten_StopsRenewingItsLease_SoAnotherClaimRecordsItInterrupted()
    {
        await using var h1 = new PostgreSqlExportStore(_db.NewDataSource(), new() { HostName = "host-1", RunLeaseDuration = TimeSpan.FromSeconds(3) }, ownsDataSource: true);
        await using var h2 = new PostgreSqlExportStore(_db.NewDataSource(), new() { HostName = "host-2", RunLeaseDuration = TimeSpan.FromSeconds(3) }, ownsDataSource: true);
        (await h1.TryStartRunAsync(Run("r1"))).Started.Should().BeTrue();

        // The run ended, but its record never reached the database (here: the write was cancelled).
        using var gone = new CancellationTokenSource();
        await gone.CancelAsync();
        var save = async () => await h1.SaveRunAsync(Run("r1") with { Host = "host-1", Status = ExportRunStatus.Succeeded }, gone.Token);
        await save.Should().ThrowAsync<OperationCanceledException>();

        // host-1 is alive, but no longer renews the ended run's lease: host-2's claim gets through once it runs out.
        (await ClaimOnceFreeAsync(h2, Run("r2"))).Started.Should().BeTrue("the ended run's lease was released even though its record was not written");
        (await h2.GetRunAsync("df", "r1"))!.Status.Should().Be(ExportRunStatus.Failed, "recorded as interrupted");

        // The database is back for host-1: its late outcome does not replace the interrupted record another host wrote.
        var late = async () => await h1.SaveRunAsync(Run("r1") with { Host = "host-1", Status = ExportRunStatus.Succeeded });
        await late.Should().ThrowAsync<ExportConcurrencyException>();
        (await h2.GetRunAsync("df", "r1"))!.Status.Should().Be(ExportRunStatus.Failed);
    }

    [Fact]
    public async Task FailAbandonedRunsAsync_RecordsRunsOfADeadHostFailed_OnceTheirLeaseExpired()
    {
        // Leases long enough that a loaded machine renews them in time; the wait below outlasts one.
        var h1 = new PostgreSqlExportStore(_db.NewDataSource(), new() { HostName = "host-1", RunLeaseDuration = TimeSpan.FromSeconds(4) }, ownsDataSource: true);
        await using var h2 = new PostgreSqlExportStore(_db.NewDataSource(), new() { HostName = "host-2", RunLeaseDuration = TimeSpan.FromSeconds(4) }, ownsDataSource: true);
        (await h1.TryStartRunAsync(Run("r1"))).Started.Should().BeTrue();
        (await h2.FailAbandonedRunsAsync()).Should().BeEmpty("host-1 renews its lease");

        await h1.DisposeAsync(); // the host "dies"
        await Task.Delay(TimeSpan.FromSeconds(5));

        var failed = await h2.FailAbandonedRunsAsync();
        failed.Should().ContainSingle().Which.RunId.Should().Be("r1");
        var stored = await h2.GetRunAsync("df", "r1");
        stored!.Status.Should().Be(ExportRunStatus.Failed);
        stored.Errors.Should().ContainSingle().Which.Should().Contain("host-1 stopped renewing its lease");
        stored.EndedAt.Should().NotBeNull();
        (await h2.FailAbandonedRunsAsync()).Should().BeEmpty("it is recorded once");
    }

    [Fact]
    public async Task WhatADeadHostsRunLeft_AmongALongHistory_IsRemovedByTheNextRunOnAnotherHost_AndTheHistoryPagesInTheDatabase()
    {
        var destinations = new CountingDestinationProvider();
        await using var host = new ClusterHost("host-2", _db, destinations, ClusterHost.Source("vip"));
        var admin = Callers.Admin;
        await host.Manager.CreateAsync(admin, ClusterHost.Dataflow("df", null, "vip"));
        for (var i = 0; i < 40; i++)
        {
            await host.Store.SaveRunAsync(Run($"old-{i:D2}") with { Status = ExportRunStatus.Succeeded, CreatedAt = DateTimeOffset.UnixEpoch.AddDays(i), Destination = ClusterHost.DestinationName });
        }

        // host-1 died after committing a part; its run was recorded failed with the part on record.
        await using (var writer = await destinations.Files.OpenWriteAsync("orphan.csv"))
        {
            await writer.Stream.WriteAsync("id\n1\n"u8.ToArray());
            await writer.CommitAsync();
        }

        await host.Store.SaveRunAsync(Run("dead") with { Host = "host-1", Status = ExportRunStatus.Failed, CreatedAt = DateTimeOffset.UnixEpoch.AddDays(3), Destination = ClusterHost.DestinationName, LeftoverFiles = ["orphan.csv"] });

        var next = await host.Manager.ExportNowAsync(admin, "df", ["vip"]);

        next.Status.Should().Be(ExportRunStatus.Succeeded);
        (await destinations.Files.ListAsync("").ToListAsync()).Select(f => f.Path).Should().NotContain("orphan.csv");
        (await host.Store.GetRunAsync("df", "dead"))!.LeftoverFiles.Should().BeEmpty();

        // The runs list pages in the database: the newest run first, the count over the whole history.
        var page = await host.Manager.SearchRunsAsync(admin, "df", new RunQuery { Take = 2 });
        page.TotalCount.Should().Be(42);
        page.Items.Select(r => r.RunId).Should().Equal(next.RunId, "old-39");
        (await host.Manager.SearchRunsAsync(admin, "df", new RunQuery { Status = ExportRunStatus.Failed })).Items.Should().ContainSingle().Which.RunId.Should().Be("dead");
    }

    [Fact]
    public async Task Restart_AllHosts_KeepsDataflowsRunsAndWatermarks()
    {
        var destinations = new CountingDestinationProvider();
        var watermark = new DateTimeOffset(2026, 6, 1, 3, 0, 0, TimeSpan.Zero);
        string runId;
        string etag;
        await using (var h1 = new ClusterHost("host-1", _db, destinations, ClusterHost.Source("vip")))
        await using (var h2 = new ClusterHost("host-2", _db, destinations, ClusterHost.Source("vip")))
        {
            etag = (await h1.Manager.CreateAsync(Callers.Admin, ClusterHost.Dataflow("df", null, "vip"))).ETag;
            runId = (await h2.Manager.ExportNowAsync(Callers.Admin, "df", ["vip"])).RunId;
            await h1.Store.SaveAudienceStateAsync(new AudienceExportState { DataflowId = "df", AudienceId = "vip", Watermark = watermark, LastSuccessfulRunId = runId });
        }

        await using var again = new ClusterHost("host-3", _db, destinations, ClusterHost.Source("vip"));
        var dataflow = await again.Manager.GetAsync(Callers.Admin, "df");
        dataflow!.ETag.Should().Be(etag);
        var run = (await again.Manager.ListRunsAsync(Callers.Admin, "df")).Should().ContainSingle().Which;
        run.RunId.Should().Be(runId);
        run.Status.Should().Be(ExportRunStatus.Succeeded);
        run.Host.Should().Be("host-2");
        run.RowsExported.Should().Be(5);
        (await again.Store.GetAudienceStateAsync("df", "vip"))!.Watermark.Should().Be(watermark);
    }

    /// <summary>Claims every 250 ms until the claim goes through (a lease ran out) or 30 s have passed.</summary>
    private static async Task<RunStartResult> ClaimOnceFreeAsync(PostgreSqlExportStore store, ExportRunRecord run)
    {
        var since = DateTime.UtcNow;
        var claim = await store.TryStartRunAsync(run);
        while (!claim.Started && DateTime.UtcNow - since < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(250);
            claim = await store.TryStartRunAsync(run);
        }

        return claim;
    }

    private static ExportRunRecord Run(string id) => new()
    {
        RunId = id,
        DataflowId = "df",
        Status = ExportRunStatus.Running,
        AudienceIds = ["vip"],
        ScheduledTime = DateTimeOffset.UnixEpoch,
        CreatedAt = DateTimeOffset.UnixEpoch,
    };
}
