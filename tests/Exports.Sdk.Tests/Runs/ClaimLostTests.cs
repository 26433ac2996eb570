using System.Runtime.CompilerServices;
using Exports.Sdk.Tests.Fixtures;
using Exports.Sdk.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Exports.Sdk.Tests.Runs;

/// <summary>
/// A run whose claim another host took over (same run id, so the same file names) stops without touching what it
/// committed: those names are the new owner's to keep or replace. One another host recorded as ended rolls back as any
/// other. Either way, its record is not this run's to write.
/// </summary>
public sealed class ClaimLostTests : IDisposable
{
    private readonly string _drop = Directory.CreateTempSubdirectory("exports-claim-lost-drop-").FullName;
    private readonly string _store = Directory.CreateTempSubdirectory("exports-claim-lost-store-").FullName;

    [Theory]
    [InlineData(ExportRunStatus.Running, true)]
    [InlineData(ExportRunStatus.Failed, false)]
    public async Task ARunThatLostItsClaim_Stops_KeepingItsFilesOnlyWhenAnotherClaimOwnsTheirNames(ExportRunStatus theirs, bool kept)
    {
        var second = new HeldAudience("later");
        var source = TwoAudiences();
        var services = new ServiceCollection().AddLogging();
        services.AddExports()
            .UseFileExportStore(_store)
            .AddLocalFolderDestination("drop", _drop, d => d.Output.MaxRowsPerFile = 10)
            .AddAudienceSource("src", second.Wrap(source))
            .AddDataflow("crm", Crm);
        services.Configure<ExportsOptions>(o => o.Runs.ProgressInterval = TimeSpan.FromMilliseconds(100));
        await using var provider = services.BuildServiceProvider();
        var dataflow = provider.GetRequiredService<IOptions<ExportsOptions>>().Value.GetDataflow("crm");
        var store = provider.GetRequiredService<IExportStore>();

        // The first audience's two parts are committed; the run waits in the second audience's read.
        var running = provider.GetRequiredService<IExportRunner>().RunAsync(dataflow, new ExportRunRequest { RunId = "slot" });
        await second.Entered.WaitAsync(TimeSpan.FromSeconds(30));
        var committed = Directory.EnumerateFiles(_drop).Select(Path.GetFileName).ToList();
        committed.Should().HaveCount(2);

        // Another host takes the slot over (Running), as after a lease that ran out, or records the run as interrupted (Failed).
        var mine = (await store.GetRunAsync("crm", "slot"))!;
        await store.SaveRunAsync(mine with { Host = "other-host", Status = theirs, LeftoverFiles = [], Progress = null });
        var act = () => running;

        await act.Should().ThrowAsync<OperationCanceledException>("the run stops once it sees the claim is not its own");
        if (kept)
        {
            Directory.EnumerateFiles(_drop).Select(Path.GetFileName).Should().BeEquivalentTo(committed, "the names are the new owner's now");
        }
        else
        {
            Directory.EnumerateFiles(_drop).Should().BeEmpty("no one owns them: the run's rollback removes them");
        }

        var stored = (await store.GetRunAsync("crm", "slot"))!;
        stored.Host.Should().Be("other-host");
        stored.Status.Should().Be(theirs, "the record is not the stopped run's to write");
    }

    [Theory]
    [InlineData(ExportRunStatus.Running, true)]
    [InlineData(ExportRunStatus.Failed, false)]
    public async Task AClaimLostJustBeforeAPartIsRecorded_StopsTheRun_WithoutCommittingThePart(ExportRunStatus theirs, bool kept)
    {
        var source = TwoAudiences();
        IExportStore? store = null;
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton(new ExportScenario.DestinationWrap(d => new RecordingDestination(d)
        {
            // The third part (the second audience's first): another host takes the slot over, or records it ended,
            // while the part is written; no heartbeat comes before the part's entry is saved.
            BeforeOpen = async number =>
            {
                if (number == 3)
                {
                    var mine = (await store!.GetRunAsync("crm", "slot"))!;
                    await store.SaveRunAsync(mine with { Host = "other-host", Status = theirs, LeftoverFiles = [], Progress = null });
                }
            },
        }));
        services.AddExports()
            .UseFileExportStore(_store)
            .AddDestinationProvider<ExportScenario.WrappedLocalFolderProvider>()
            .AddDestination("drop", ExportScenario.WrappedLocalFolderProvider.TypeName, d =>
            {
                d.Settings["path"] = _drop;
                d.Output.MaxRowsPerFile = 10;
            })
            .AddAudienceSource("src", source)
            .AddDataflow("crm", Crm);
        services.Configure<ExportsOptions>(o => o.Runs.ProgressInterval = TimeSpan.FromSeconds(30));
        await using var provider = services.BuildServiceProvider();
        store = provider.GetRequiredService<IExportStore>();
        var dataflow = provider.GetRequiredService<IOptions<ExportsOptions>>().Value.GetDataflow("crm");

        var act = () => provider.GetRequiredService<IExportRunner>().RunAsync(dataflow, new ExportRunRequest { RunId = "slot" });

        await act.Should().ThrowAsync<OperationCanceledException>("the run stops once it sees the claim is not its own");
        var files = Directory.EnumerateFiles(_drop, "*", new EnumerationOptions { AttributesToSkip = 0 }).Select(Path.GetFileName).ToList();
        if (kept)
        {
            files.Should().HaveCount(2, "the first audience's parts are the new owner's names now; the third part was never committed")
                .And.OnlyContain(f => f!.Contains("first", StringComparison.Ordinal));
        }
        else
        {
            files.Should().BeEmpty("no one owns them: the run's rollback removes them");
        }

        var stored = (await store.GetRunAsync("crm", "slot"))!;
        stored.Host.Should().Be("other-host");
        stored.Status.Should().Be(theirs, "the record is not the stopped run's to write");
    }

    public void Dispose()
    {
        Directory.Delete(_drop, recursive: true);
        Directory.Delete(_store, recursive: true);
    }

    /// <summary>Audiences "first" and "later", 20 people each: two parts each at 10 rows a file.</summary>
    private static InMemoryAudienceSource TwoAudiences()
    {
        var members = Enumerable.Range(0, 20).Select(i => new AudienceMember(
            new Dictionary<string, object?> { ["person.email"] = $"p{i}@example.com" }, MembershipStatus.Realized, new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero)));
        return new InMemoryAudienceSource().AddAudience(new AudienceInfo("first", "First"), members).AddAudience(new AudienceInfo("later", "Later"), members);
    }

    /// <summary>The "crm" dataflow: both audiences from "src" to "drop".</summary>
    private static void Crm(DataflowDefinition d)
    {
        d.Source = "src";
        d.Destination = "drop";
        d.Attributes = ["person.email"];
        d.Audiences = [new AudienceActivation { AudienceId = "first" }, new AudienceActivation { AudienceId = "later" }];
    }

    /// <summary>Holds the reads of one audience until the run is cancelled.</summary>
    private sealed class HeldAudience(string audienceId)
    {
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Entered => _entered.Task;

        public string AudienceId => audienceId;

        public IAudienceSource Wrap(IAudienceSource inner) => new Source(inner, this);

        private sealed class Source(IAudienceSource inner, HeldAudience held) : IAudienceSource
        {
            public IAsyncEnumerable<AudienceInfo> ListAudiencesAsync(CancellationToken cancellationToken = default) => inner.ListAudiencesAsync(cancellationToken);

            public async IAsyncEnumerable<RowBatch> ReadMembersAsync(AudienceReadRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
            {
                if (request.AudienceId == held.AudienceId)
                {
                    held._entered.TrySetResult();
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                }

                await foreach (var batch in inner.ReadMembersAsync(request, cancellationToken))
                {
                    yield return batch;
                }
            }
        }
    }
}
