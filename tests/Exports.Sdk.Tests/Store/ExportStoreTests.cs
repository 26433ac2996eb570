using Exports.Sdk.Tests.Fixtures;

namespace Exports.Sdk.Tests.Store;

/// <summary>The store contract, run against both built-in stores.</summary>
public sealed class ExportStoreTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public static TheoryData<string> Stores => new() { "memory", "file" };

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task UpdateDataflowAsync_StaleETag_ThrowsAndChangesNothing(string kind)
    {
        var store = Create(kind);
        var created = await store.CreateDataflowAsync(WithId(ManagementHost.Dataflow(), "a"));
        var first = created.Definition.Clone();
        first.Name = "first";
        var updated = await store.UpdateDataflowAsync(first, created.ETag);
        var stale = created.Definition.Clone();
        stale.Name = "stale";

        var act = async () => await store.UpdateDataflowAsync(stale, created.ETag);

        (await act.Should().ThrowAsync<ExportConcurrencyException>()).Which.Message.Should().Contain("'a'").And.Contain("stale");
        var current = await store.GetDataflowAsync("a");
        current!.ETag.Should().Be(updated.ETag);
        current.Definition.Name.Should().Be("first");
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task DeleteDataflowAsync_StaleETag_ThrowsAndKeepsIt(string kind)
    {
        var store = Create(kind);
        var created = await store.CreateDataflowAsync(WithId(ManagementHost.Dataflow(), "a"));
        await store.UpdateDataflowAsync(created.Definition, created.ETag);

        var act = async () => await store.DeleteDataflowAsync("a", created.ETag);

        await act.Should().ThrowAsync<ExportConcurrencyException>();
        (await store.GetDataflowAsync("a")).Should().NotBeNull();
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task CreateDataflowAsync_ExistingId_Throws(string kind)
    {
        var store = Create(kind);
        await store.CreateDataflowAsync(WithId(ManagementHost.Dataflow(), "a"));

        var act = async () => await store.CreateDataflowAsync(WithId(ManagementHost.Dataflow(), "a"));

        await act.Should().ThrowAsync<ExportConcurrencyException>();
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task TryStartRunAsync_AudienceInActiveRun_ReportsTheConflict(string kind)
    {
        var store = Create(kind);
        (await store.TryStartRunAsync(Run("r1", "vip", "churn"))).Started.Should().BeTrue();

        var second = await store.TryStartRunAsync(Run("r2", "churn", "newsletter"));
        var other = await store.TryStartRunAsync(Run("r3", "newsletter"));

        second.Started.Should().BeFalse();
        second.Conflicts.Should().Equal(new RunConflict("churn", "r1"));
        other.Started.Should().BeTrue("an audience not in an active run is free");
        await store.SaveRunAsync(Run("r1", "vip", "churn") with { Status = ExportRunStatus.Succeeded });
        (await store.TryStartRunAsync(Run("r4", "churn"))).Started.Should().BeTrue("a finished run frees its audiences");
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task TryStartRunAsync_ConcurrentClaims_OnlyOneWins(string kind)
    {
        var store = Create(kind);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(async () => await store.TryStartRunAsync(Run($"r{i}", "vip")))));

        results.Count(r => r.Started).Should().Be(1);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task ListRunsAsync_ReturnsNewestFirst_AndAudienceStateRoundTrips(string kind)
    {
        var store = Create(kind);
        await store.SaveRunAsync(Run("old", "vip") with { CreatedAt = ManagementHost.Now.AddHours(-2), Status = ExportRunStatus.Succeeded });
        await store.SaveRunAsync(Run("new", "vip") with { CreatedAt = ManagementHost.Now, Status = ExportRunStatus.Failed });
        var state = new AudienceExportState { DataflowId = "a", AudienceId = "vip", Watermark = ManagementHost.Now, LastSuccessfulRunId = "old" };
        await store.SaveAudienceStateAsync(state);

        var runs = new List<ExportRunRecord>();
        await foreach (var run in store.ListRunsAsync("a"))
        {
            runs.Add(run);
        }

        runs.Select(r => r.RunId).Should().Equal("new", "old");
        (await store.GetAudienceStateAsync("a", "vip")).Should().Be(state);
        (await store.GetAudienceStateAsync("a", "churn")).Should().BeNull();
    }

    [Fact]
    public async Task FileExportStore_WriteInterruptedBeforeRename_LeavesThePreviousVersionReadable()
    {
        var store = new FileExportStore(_folder.Root);
        var created = await store.CreateDataflowAsync(WithId(ManagementHost.Dataflow(), "a/b c"));
        var file = Directory.GetFiles(Path.Combine(_folder.Root, "dataflows")).Single();
        // A crash mid-write leaves a half-written temp file beside the record; the rename never happened.
        await File.WriteAllTextAsync(file + ".tmp-0123456789abcdef", "{\"definition\":{\"id\":\"a/b c\",\"name\":\"half");

        var reopened = new FileExportStore(_folder.Root);
        var read = await reopened.GetDataflowAsync("a/b c");
        var all = new List<StoredDataflow>();
        await foreach (var d in reopened.ListDataflowsAsync())
        {
            all.Add(d);
        }

        read!.ETag.Should().Be(created.ETag);
        read.Definition.Name.Should().Be("Daily CRM");
        all.Should().ContainSingle().Which.Definition.Id.Should().Be("a/b c");
        var updated = await reopened.UpdateDataflowAsync(read.Definition, read.ETag);
        (await new FileExportStore(_folder.Root).GetDataflowAsync("a/b c"))!.ETag.Should().Be(updated.ETag);
    }

    public void Dispose() => _folder.Dispose();

    private static ExportRunRecord Run(string id, params string[] audiences) => new()
    {
        RunId = id,
        DataflowId = "a",
        Status = ExportRunStatus.Running,
        AudienceIds = audiences,
        ScheduledTime = ManagementHost.Now,
        CreatedAt = ManagementHost.Now,
    };

    private static DataflowDefinition WithId(DataflowDefinition dataflow, string id)
    {
        dataflow.Id = id;
        return dataflow;
    }

    private IExportStore Create(string kind) => kind == "file" ? new FileExportStore(_folder.Root) : new InMemoryExportStore();
}
