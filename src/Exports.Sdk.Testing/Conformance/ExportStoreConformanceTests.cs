using System.Diagnostics.CodeAnalysis;
using Xunit;

namespace Exports.Sdk.Testing;

/// <summary>
/// The behaviour every <see cref="IExportStore"/> must show, as xunit tests. Derive a class per store and create an
/// empty store of its own in <see cref="CreateStoreAsync"/> (called before each test); every test below then runs
/// against it.
/// </summary>
/// <remarks>
/// What is checked: dataflows round-trip; a stale ETag on update or delete throws <see cref="ExportConcurrencyException"/>
/// and changes nothing; creating an existing id throws; of concurrent updates with one ETag exactly one wins; a run
/// claim is refused while an audience is in an active run of the same dataflow and reports that run; of concurrent
/// claims exactly one wins; a finished run frees its audiences; runs are listed newest first; audience state
/// round-trips; dataset exports round-trip with ETags, share the id space with dataflows, and keep their watermark.
/// </remarks>
[SuppressMessage("Naming", "CA1707:Identifiers should not contain underscores", Justification = "Test names read Method_Scenario_Expected.")]
public abstract partial class ExportStoreConformanceTests : IAsyncLifetime
{
    private static readonly string[] DataflowAudiences = ["vip", "churn"];
    private static readonly DateTimeOffset Now = new(2026, 6, 15, 10, 0, 0, TimeSpan.Zero);
    private IExportStore? _store;

    /// <summary>The store under test, created for the current test.</summary>
    protected IExportStore Store => _store ?? throw new InvalidOperationException("The store is created in InitializeAsync.");

    /// <summary>Creates the store under test, empty, used by no other test.</summary>
    /// <returns>The store.</returns>
    protected abstract ValueTask<IExportStore> CreateStoreAsync();

    /// <inheritdoc />
    public async Task InitializeAsync() => _store = await CreateStoreAsync().ConfigureAwait(false);

    /// <inheritdoc />
    public virtual async Task DisposeAsync()
    {
        if (_store is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>A created dataflow reads back with its definition and ETag, and is listed.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task CreateDataflowAsync_ThenGetAndList_RoundTrips()
    {
        var created = await Store.CreateDataflowAsync(Dataflow("a")).ConfigureAwait(false);

        var read = await Store.GetDataflowAsync("a").ConfigureAwait(false);
        var all = new List<StoredDataflow>();
        await foreach (var d in Store.ListDataflowsAsync().ConfigureAwait(false))
        {
            all.Add(d);
        }

        Assert.NotNull(read);
        Assert.Equal(created.ETag, read.ETag);
        Assert.Equal("Daily CRM", read.Definition.Name);
        Assert.Equal(["vip", "churn"], read.Definition.Audiences.Select(a => a.AudienceId));
        Assert.Equal(ScheduleFrequency.Daily, read.Definition.Audiences[0].Schedule!.Frequency);
        Assert.Equal("a", Assert.Single(all).Definition.Id);
        Assert.Null(await Store.GetDataflowAsync("missing").ConfigureAwait(false));
    }

    /// <summary>An update with a stale ETag throws and leaves the current version.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task UpdateDataflowAsync_StaleETag_ThrowsAndChangesNothing()
    {
        var created = await Store.CreateDataflowAsync(Dataflow("a")).ConfigureAwait(false);
        var first = created.Definition.Clone();
        first.Name = "first";
        var updated = await Store.UpdateDataflowAsync(first, created.ETag).ConfigureAwait(false);
        var stale = created.Definition.Clone();
        stale.Name = "stale";

        var error = await Assert.ThrowsAsync<ExportConcurrencyException>(async () => await Store.UpdateDataflowAsync(stale, created.ETag).ConfigureAwait(false)).ConfigureAwait(false);

        Assert.Contains("'a'", error.Message, StringComparison.Ordinal);
        Assert.Contains("stale", error.Message, StringComparison.Ordinal);
        var current = await Store.GetDataflowAsync("a").ConfigureAwait(false);
        Assert.Equal(updated.ETag, current!.ETag);
        Assert.Equal("first", current.Definition.Name);
        Assert.NotEqual(created.ETag, updated.ETag);
    }

    /// <summary>Several dataflows updated as one step: all are written with new ETags when every ETag is current.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task UpdateDataflowsAsync_AllCurrent_WritesEvery()
    {
        var a = await Store.CreateDataflowAsync(Dataflow("a")).ConfigureAwait(false);
        var b = await Store.CreateDataflowAsync(Dataflow("b")).ConfigureAwait(false);
        var newA = a.Definition.Clone();
        newA.Name = "new a";
        var newB = b.Definition.Clone();
        newB.Name = "new b";

        var stored = await Store.UpdateDataflowsAsync([new DataflowUpdate(newB, b.ETag), new DataflowUpdate(newA, a.ETag)]).ConfigureAwait(false);

        Assert.Equal(["b", "a"], stored.Select(s => s.Definition.Id));
        Assert.Equal("new a", (await Store.GetDataflowAsync("a").ConfigureAwait(false))!.Definition.Name);
        Assert.Equal(stored[0].ETag, (await Store.GetDataflowAsync("b").ConfigureAwait(false))!.ETag);
        Assert.NotEqual(b.ETag, stored[0].ETag);
    }

    /// <summary>One stale ETag among several: nothing is written, and the error names the dataflow.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task UpdateDataflowsAsync_OneStaleETag_WritesNone()
    {
        var a = await Store.CreateDataflowAsync(Dataflow("a")).ConfigureAwait(false);
        var b = await Store.CreateDataflowAsync(Dataflow("b")).ConfigureAwait(false);
        var otherB = b.Definition.Clone();
        otherB.Name = "changed meanwhile";
        var current = await Store.UpdateDataflowAsync(otherB, b.ETag).ConfigureAwait(false);
        var newA = a.Definition.Clone();
        newA.Name = "new a";
        var newB = b.Definition.Clone();
        newB.Name = "new b";

        var error = await Assert.ThrowsAsync<ExportConcurrencyException>(async () =>
            await Store.UpdateDataflowsAsync([new DataflowUpdate(newA, a.ETag), new DataflowUpdate(newB, b.ETag)]).ConfigureAwait(false)).ConfigureAwait(false);

        Assert.Contains("'b'", error.Message, StringComparison.Ordinal);
        var readA = await Store.GetDataflowAsync("a").ConfigureAwait(false);
        Assert.Equal(a.ETag, readA!.ETag);
        Assert.Equal(a.Definition.Name, readA.Definition.Name);
        Assert.Equal(current.ETag, (await Store.GetDataflowAsync("b").ConfigureAwait(false))!.ETag);
    }

    /// <summary>Of concurrent updates presenting the same ETag, exactly one succeeds.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task UpdateDataflowAsync_ConcurrentUpdatesWithOneETag_OnlyOneWins()
    {
        var created = await Store.CreateDataflowAsync(Dataflow("a")).ConfigureAwait(false);

        var attempts = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(async () =>
        {
            var changed = created.Definition.Clone();
            changed.Name = $"writer {i}";
            try
            {
                await Store.UpdateDataflowAsync(changed, created.ETag).ConfigureAwait(false);
                return changed.Name;
            }
            catch (ExportConcurrencyException)
            {
                return null;
            }
        }))).ConfigureAwait(false);

        var winner = Assert.Single(attempts, a => a is not null);
        Assert.Equal(winner, (await Store.GetDataflowAsync("a").ConfigureAwait(false))!.Definition.Name);
    }

    /// <summary>A delete with a stale ETag throws and keeps the dataflow; with the current one it removes it.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task DeleteDataflowAsync_StaleETag_ThrowsAndKeepsIt()
    {
        var created = await Store.CreateDataflowAsync(Dataflow("a")).ConfigureAwait(false);
        var updated = await Store.UpdateDataflowAsync(created.Definition, created.ETag).ConfigureAwait(false);

        await Assert.ThrowsAsync<ExportConcurrencyException>(async () => await Store.DeleteDataflowAsync("a", created.ETag).ConfigureAwait(false)).ConfigureAwait(false);

        Assert.NotNull(await Store.GetDataflowAsync("a").ConfigureAwait(false));
        await Store.DeleteDataflowAsync("a", updated.ETag).ConfigureAwait(false);
        Assert.Null(await Store.GetDataflowAsync("a").ConfigureAwait(false));
        await Assert.ThrowsAsync<ExportConcurrencyException>(async () => await Store.DeleteDataflowAsync("a", updated.ETag).ConfigureAwait(false)).ConfigureAwait(false);
    }

    /// <summary>Creating a dataflow whose id exists throws.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task CreateDataflowAsync_ExistingId_Throws()
    {
        await Store.CreateDataflowAsync(Dataflow("a")).ConfigureAwait(false);

        await Assert.ThrowsAsync<ExportConcurrencyException>(async () => await Store.CreateDataflowAsync(Dataflow("a")).ConfigureAwait(false)).ConfigureAwait(false);
    }

    /// <summary>A claim on an audience in an active run is refused with that run's id; a finished run frees it.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task TryStartRunAsync_AudienceInActiveRun_ReportsTheConflict()
    {
        Assert.True((await Store.TryStartRunAsync(Run("r1", "vip", "churn")).ConfigureAwait(false)).Started);

        var second = await Store.TryStartRunAsync(Run("r2", "churn", "newsletter")).ConfigureAwait(false);
        var other = await Store.TryStartRunAsync(Run("r3", "newsletter")).ConfigureAwait(false);
        var otherDataflow = await Store.TryStartRunAsync(Run("r5", "churn") with { DataflowId = "b" }).ConfigureAwait(false);

        Assert.False(second.Started);
        Assert.Equal([new RunConflict("churn", "r1")], second.Conflicts);
        Assert.True(other.Started, "an audience not in an active run is free");
        Assert.True(otherDataflow.Started, "runs of another dataflow do not conflict");
        await Store.SaveRunAsync(Run("r1", "vip", "churn") with { Status = ExportRunStatus.Succeeded }).ConfigureAwait(false);
        Assert.True((await Store.TryStartRunAsync(Run("r4", "churn")).ConfigureAwait(false)).Started, "a finished run frees its audiences");
    }

    /// <summary>
    /// A second claim of a run id this store's process is still running is refused, as any other claim of its
    /// audiences is: two attempts at one slot would write the same names.
    /// </summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task TryStartRunAsync_TheSameRunIdWhileItRunsHere_IsRefused()
    {
        Assert.True((await Store.TryStartRunAsync(Run("slot", "vip")).ConfigureAwait(false)).Started);

        var again = await Store.TryStartRunAsync(Run("slot", "vip")).ConfigureAwait(false);

        Assert.False(again.Started);
        Assert.Equal([new RunConflict("vip", "slot")], again.Conflicts);
        await Store.SaveRunAsync(Run("slot", "vip") with { Status = ExportRunStatus.Failed }).ConfigureAwait(false);
        Assert.True((await Store.TryStartRunAsync(Run("slot", "vip")).ConfigureAwait(false)).Started, "once it ended, a retry of the slot may claim it");
    }

    /// <summary>Of concurrent claims on one audience, exactly one wins.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task TryStartRunAsync_ConcurrentClaims_OnlyOneWins()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(async () => await Store.TryStartRunAsync(Run($"r{i}", "vip")).ConfigureAwait(false)))).ConfigureAwait(false);

        Assert.Single(results, r => r.Started);
    }

    /// <summary>Runs are listed newest first and read back by id; audience state round-trips.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task ListRunsAsync_ReturnsNewestFirst_AndAudienceStateRoundTrips()
    {
        await Store.SaveRunAsync(Run("old", "vip") with { CreatedAt = Now.AddHours(-2), Status = ExportRunStatus.Succeeded }).ConfigureAwait(false);
        await Store.SaveRunAsync(Run("new", "vip") with { CreatedAt = Now, Status = ExportRunStatus.Failed, Errors = ["boom"] }).ConfigureAwait(false);
        var state = new AudienceExportState { DataflowId = "a", AudienceId = "vip", Watermark = Now, LastSuccessfulRunId = "old", LastCompletedSlot = Now.AddHours(-3) };
        await Store.SaveAudienceStateAsync(state).ConfigureAwait(false);

        var runs = new List<ExportRunRecord>();
        await foreach (var run in Store.ListRunsAsync("a").ConfigureAwait(false))
        {
            runs.Add(run);
        }

        Assert.Equal(["new", "old"], runs.Select(r => r.RunId));
        Assert.Equal(["boom"], (await Store.GetRunAsync("a", "new").ConfigureAwait(false))!.Errors);
        Assert.Null(await Store.GetRunAsync("a", "missing").ConfigureAwait(false));
        Assert.Equal(state, await Store.GetAudienceStateAsync("a", "vip").ConfigureAwait(false));
        Assert.Null(await Store.GetAudienceStateAsync("a", "churn").ConfigureAwait(false));
        var moved = state with { Watermark = Now.AddHours(1), LastSuccessfulRunId = "new" };
        await Store.SaveAudienceStateAsync(moved).ConfigureAwait(false);
        Assert.Equal(moved, await Store.GetAudienceStateAsync("a", "vip").ConfigureAwait(false));
    }

    /// <summary>
    /// A long history, with runs that share a start time, is listed once each, newest first and by id (ordinal,
    /// descending) among equals, whether a store reads it at once or in parts; a caller that stops early gets the newest.
    /// </summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task ListRunsAsync_ALongHistoryWithEqualStartTimes_ListsEachRunOnceInOrder()
    {
        var saved = new List<ExportRunRecord>();
        for (var i = 0; i < 150; i++)
        {
            // Three runs a second, ids out of order within it, so ties fall on the edges of any page size.
            var run = Run($"run-{(i * 37) % 150:D3}", "vip") with { CreatedAt = Now.AddSeconds(-(i / 3)), Status = ExportRunStatus.Succeeded };
            await Store.SaveRunAsync(run).ConfigureAwait(false);
            saved.Add(run);
        }

        var listed = new List<string>();
        await foreach (var run in Store.ListRunsAsync("a").ConfigureAwait(false))
        {
            listed.Add(run.RunId);
        }

        Assert.Equal(saved.OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.RunId, StringComparer.Ordinal).Select(r => r.RunId), listed);
        await foreach (var newest in Store.ListRunsAsync("a").ConfigureAwait(false))
        {
            Assert.Equal(listed[0], newest.RunId);
            break;
        }
    }

    /// <summary>
    /// A store that lists runs with leftovers (<see cref="IExportStoreRunQueries"/>) lists exactly those, of that dataflow,
    /// and follows a record whose leftovers are cleared. Other stores pass.
    /// </summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task ListRunsWithLeftoversAsync_ListsExactlyTheRunsThatLeftSomething()
    {
        if (Store is not IExportStoreRunQueries index)
        {
            return;
        }

        var files = Run("files", "vip") with { Status = ExportRunStatus.Failed, LeftoverFiles = ["a.csv"] };
        var writes = Run("writes", "vip") with { Status = ExportRunStatus.Failed, LeftoverWrites = [new LeftoverWrite("b.csv", "upload-1")] };
        await Store.SaveRunAsync(files).ConfigureAwait(false);
        await Store.SaveRunAsync(writes).ConfigureAwait(false);
        await Store.SaveRunAsync(Run("running", "vip") with { LeftoverFiles = ["c.csv"] }).ConfigureAwait(false);
        await Store.SaveRunAsync(Run("clean", "vip") with { Status = ExportRunStatus.Succeeded }).ConfigureAwait(false);
        await Store.SaveRunAsync(Run("other", "vip") with { DataflowId = "b", Status = ExportRunStatus.Failed, LeftoverFiles = ["d.csv"] }).ConfigureAwait(false);

        Assert.Equal(["files", "running", "writes"], await ListAsync().ConfigureAwait(false));
        await Store.SaveRunAsync(files with { LeftoverFiles = [] }).ConfigureAwait(false);
        Assert.Equal(["running", "writes"], await ListAsync().ConfigureAwait(false));

        async Task<List<string>> ListAsync()
        {
            var ids = new List<string>();
            await foreach (var run in index.ListRunsWithLeftoversAsync("a").ConfigureAwait(false))
            {
                ids.Add(run.RunId);
            }

            return [.. ids.Order(StringComparer.Ordinal)];
        }
    }

    /// <summary>
    /// A store that pages runs itself (<see cref="IExportStoreRunQueries"/>) gives the page and the count that the full
    /// list gives, for every status and page, ties on start time included. Other stores pass.
    /// </summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task SearchRunsAsync_GivesThePagesAndCountsOfTheFullList()
    {
        if (Store is not IExportStoreRunQueries queries)
        {
            return;
        }

        ExportRunStatus[] statuses = [ExportRunStatus.Succeeded, ExportRunStatus.Failed, ExportRunStatus.PartiallySucceeded];
        for (var i = 0; i < 30; i++)
        {
            await Store.SaveRunAsync(Run($"run-{(i * 7) % 30:D2}", "vip") with { CreatedAt = Now.AddSeconds(-(i / 4)), Status = statuses[i % 3] }).ConfigureAwait(false);
        }

        await Store.SaveRunAsync(Run("elsewhere", "vip") with { DataflowId = "b", Status = ExportRunStatus.Failed }).ConfigureAwait(false);
        var all = new List<ExportRunRecord>();
        await foreach (var run in Store.ListRunsAsync("a").ConfigureAwait(false))
        {
            all.Add(run);
        }

        foreach (var status in new ExportRunStatus?[] { null, ExportRunStatus.Failed, ExportRunStatus.Succeeded, ExportRunStatus.Cancelled })
        {
            var matching = all.Where(r => status is null || r.Status == status).Select(r => r.RunId).ToList();
            foreach (var (skip, take) in new[] { (0, 500), (0, 1), (3, 7), (9, 5), (29, 3), (100, 10) })
            {
                var page = await queries.SearchRunsAsync("a", new RunQuery { Status = status, Skip = skip, Take = take }).ConfigureAwait(false);
                Assert.Equal(matching.Count, page.TotalCount);
                Assert.Equal(matching.Skip(skip).Take(take), page.Items.Select(r => r.RunId));
            }
        }
    }

    /// <summary>
    /// A cancellation asked for by another host reaches the running host through its next progress save, which keeps
    /// the request; the final record keeps it too.
    /// </summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task CancellationRequest_IsSeenByTheProgressSave_AndKept()
    {
        var claim = Run("r1", "vip");
        Assert.True((await Store.TryStartRunAsync(claim).ConfigureAwait(false)).Started);
        var progress = new ExportRunProgress { RowsRead = 10, RowsExported = 8, Bytes = 100, UpdatedAt = Now };
        var saved = await Store.SaveRunProgressAsync(claim with { Progress = progress }).ConfigureAwait(false);
        Assert.NotNull(saved);
        Assert.Null(saved.CancelRequestedAt);
        Assert.Equal(10, (await Store.GetRunAsync("a", "r1").ConfigureAwait(false))!.Progress!.RowsRead);

        var requested = await Store.RequestRunCancellationAsync("a", "r1", "bea").ConfigureAwait(false);
        Assert.NotNull(requested!.CancelRequestedAt);
        Assert.Equal("bea", requested.CancelRequestedBy);

        var next = await Store.SaveRunProgressAsync(claim with { Progress = progress with { RowsRead = 20 } }).ConfigureAwait(false);
        Assert.NotNull(next!.CancelRequestedAt);
        Assert.Equal("bea", next.CancelRequestedBy);
        Assert.Equal(20, next.Progress!.RowsRead);

        await Store.SaveRunAsync(claim with { Status = ExportRunStatus.Cancelled, EndedAt = Now }).ConfigureAwait(false);
        var ended = await Store.GetRunAsync("a", "r1").ConfigureAwait(false);
        Assert.Equal(ExportRunStatus.Cancelled, ended!.Status);
        Assert.Equal("bea", ended.CancelRequestedBy);
        Assert.Null(await Store.SaveRunProgressAsync(claim).ConfigureAwait(false));
    }

    /// <summary>An ended run cannot be asked to cancel; an unknown one is null; a run is found by its id alone.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task RequestRunCancellation_OfAnEndedRun_ChangesNothing_AndRunsAreFoundById()
    {
        await Store.SaveRunAsync(Run("done", "vip") with { Status = ExportRunStatus.Succeeded, EndedAt = Now }).ConfigureAwait(false);
        await Store.SaveRunAsync(Run("elsewhere", "vip") with { DataflowId = "b", Status = ExportRunStatus.Failed }).ConfigureAwait(false);

        var ended = await Store.RequestRunCancellationAsync("a", "done", "bea").ConfigureAwait(false);
        Assert.Equal(ExportRunStatus.Succeeded, ended!.Status);
        Assert.Null(ended.CancelRequestedAt);
        Assert.Null(await Store.RequestRunCancellationAsync("a", "missing", "bea").ConfigureAwait(false));

        Assert.Equal("b", (await Store.FindRunAsync("elsewhere").ConfigureAwait(false))!.DataflowId);
        Assert.Equal("a", (await Store.FindRunAsync("done").ConfigureAwait(false))!.DataflowId);
        Assert.Null(await Store.FindRunAsync("missing").ConfigureAwait(false));
    }

    /// <summary>A new claim of a run id (a retried slot) does not inherit the cancellation asked of the earlier attempt.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task ARetriedRun_DoesNotInheritAnEarlierCancellation()
    {
        Assert.True((await Store.TryStartRunAsync(Run("slot", "vip")).ConfigureAwait(false)).Started);
        await Store.RequestRunCancellationAsync("a", "slot", "bea").ConfigureAwait(false);
        await Store.SaveRunAsync(Run("slot", "vip") with { Status = ExportRunStatus.Cancelled, EndedAt = Now }).ConfigureAwait(false);

        Assert.True((await Store.TryStartRunAsync(Run("slot", "vip")).ConfigureAwait(false)).Started);
        var retried = await Store.SaveRunProgressAsync(Run("slot", "vip")).ConfigureAwait(false);
        Assert.Null(retried!.CancelRequestedAt);
    }

    /// <summary>A running run record for the contract tests.</summary>
    /// <param name="id">The run id.</param>
    /// <param name="audiences">The audiences.</param>
    /// <returns>The record.</returns>
    protected static ExportRunRecord Run(string id, params string[] audiences) => new()
    {
        RunId = id,
        DataflowId = "a",
        Status = ExportRunStatus.Running,
        AudienceIds = audiences,
        ScheduledTime = Now,
        CreatedAt = Now,
    };

    /// <summary>A dataflow with two scheduled audiences for the contract tests.</summary>
    /// <param name="id">The dataflow id.</param>
    /// <returns>The dataflow.</returns>
    protected static DataflowDefinition Dataflow(string id) => new()
    {
        Id = id,
        Name = "Daily CRM",
        Source = "crm",
        Destination = "crm-drop",
        Attributes = ["person.email", "person.name.firstName"],
        Audiences = [.. DataflowAudiences.Select(a => new AudienceActivation
        {
            AudienceId = a,
            FileNameTemplate = "%DESTINATION_NAME%_%SEGMENT_ID%_%TIMESTAMP%",
            Schedule = new ExportSchedule { Frequency = ScheduleFrequency.Daily, StartDate = new DateOnly(2026, 6, 1), StartTime = "06:30" },
        })],
    };
}
