using static Exports.Sdk.Tests.Fixtures.RecordingDestination;
using Exports.Sdk.Tests.Fixtures;

namespace Exports.Sdk.Tests.Runs;

/// <summary>Failures and cancellation in the middle of an export leave nothing visible and nothing temporary.</summary>
public sealed class ExportRunnerFailureTests : IDisposable
{
    private const int N = 7;
    private const int Rows = (3 * N) + 1;
    private const int BatchSize = 3;
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(N)]
    [InlineData(N + 3)]
    [InlineData(Rows - 1)]
    public async Task RunAsync_SourceThrowsAtRowK_LeavesNothingAndReportsCause(int k)
    {
        var source = Source(Rows, throwAt: k);
        RecordingDestination? recorder = null;

        var result = await Scenario(source, wrap: d => recorder = new RecordingDestination(d)).RunAsync();

        result.Status.Should().Be(ExportRunStatus.Failed);
        result.ManifestPath.Should().BeNull();
        var audience = result.Entries.Should().ContainSingle().Subject;
        audience.Status.Should().Be(ExportRunStatus.Failed);
        audience.Files.Should().BeEmpty();
        audience.RowsExported.Should().Be(0);
        audience.Error.Should().Contain("Dataflow 'flow'").And.Contain("audience 'seg'").And.Contain($"the source broke at row {k}");
        result.Errors.Should().ContainSingle().Which.Should().Be(audience.Error);
        _folder.ListAllFiles().Should().BeEmpty("no data file, temp file or manifest may remain");

        // Parts committed before the failure were deleted again.
        var committed = recorder!.Events.Where(e => e.StartsWith("commit ", StringComparison.Ordinal)).Select(e => e[7..]).ToList();
        // Rows reach the writer a batch at a time, so the parts committed before the failure are those the full batches filled.
        committed.Should().HaveCount(k / BatchSize * BatchSize / N);
        recorder.Events.Where(e => e.StartsWith("delete ", StringComparison.Ordinal)).Select(e => e[7..]).Should().BeEquivalentTo(committed);
        recorder.Events.Should().NotContain(e => e.Contains("manifest", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_SourcesOwnTimeout_FailsTheAudience_NotCancelsTheRun()
    {
        // An HttpClient timeout inside a source is an OperationCanceledException the run did not ask for.
        var source = new TableSource(Columns)
        {
            BatchSize = BatchSize,
            BeforeRow = i =>
            {
                if (i == N + 3)
                {
                    throw new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout of 100 seconds elapsing.");
                }
            },
        }.AddGenerated("seg", "Segment", Rows, Row);

        var result = await Scenario(source).RunAsync();

        result.Status.Should().Be(ExportRunStatus.Failed, "it failed; nobody cancelled it");
        result.Entries.Should().ContainSingle().Which.Error.Should().Contain("audience 'seg'").And.Contain("HttpClient.Timeout");
        _folder.ListAllFiles().Should().BeEmpty();
    }

    [Theory]
    [InlineData(ExportCompression.None)]
    [InlineData(ExportCompression.Gzip)]
    public async Task RunAsync_DestinationFailsOpeningThirdPart_LeavesNothingAndReportsCause(ExportCompression compression)
    {
        RecordingDestination? recorder = null;
        var extension = compression == ExportCompression.Gzip ? ".csv.gz" : ".csv";

        var result = await Scenario(Source(Rows), d => recorder = new RecordingDestination(d) { FailOpenNumber = 3 }, compression).RunAsync();

        result.Status.Should().Be(ExportRunStatus.Failed);
        result.Entries[0].Error.Should().Contain("Dataflow 'flow'").And.Contain("audience 'seg'")
            .And.Contain($"simulated outage opening '{Staged($"dest_seg_3{extension}")}'");
        _folder.ListAllFiles().Should().BeEmpty();
        recorder!.Events.Should().Equal(
            "open " + Staged($"dest_seg{extension}"),
            "commit " + Staged($"dest_seg{extension}"),
            "open " + Staged($"dest_seg_2{extension}"),
            "commit " + Staged($"dest_seg_2{extension}"),
            "open " + Staged($"dest_seg_3{extension}"),
            "delete " + Staged($"dest_seg{extension}"),
            "delete " + Staged($"dest_seg_2{extension}"));
    }

    [Theory]
    [InlineData(ExportCompression.None)]
    [InlineData(ExportCompression.Gzip)]
    public async Task RunAsync_DestinationFailsCommittingThirdPart_LeavesNothingAndReportsCause(ExportCompression compression)
    {
        RecordingDestination? recorder = null;
        var extension = compression == ExportCompression.Gzip ? ".csv.gz" : ".csv";

        var result = await Scenario(Source(Rows), d => recorder = new RecordingDestination(d) { FailCommitNumber = 3 }, compression).RunAsync();

        result.Status.Should().Be(ExportRunStatus.Failed);
        result.Entries[0].Error.Should().Contain("Dataflow 'flow'").And.Contain("audience 'seg'")
            .And.Contain($"simulated outage committing '{Staged($"dest_seg_3{extension}")}'");
        result.Entries[0].Files.Should().BeEmpty();
        _folder.ListAllFiles().Should().BeEmpty("the third part's temp file is removed and the first two parts are deleted");
        recorder!.Events.Should().ContainInOrder("open " + Staged($"dest_seg_3{extension}"), "abort " + Staged($"dest_seg_3{extension}"))
            .And.Contain("delete " + Staged($"dest_seg{extension}"))
            .And.Contain("delete " + Staged($"dest_seg_2{extension}"))
            .And.NotContain(e => e.Contains("manifest", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_DestinationFailsOnLastPartOfSecondAudience_FirstAudienceAndManifestRemain()
    {
        RecordingDestination? recorder = null;

        var result = await TwoAudiences(10, d => recorder = new RecordingDestination(d) { FailCommitNumber = 4 }, maxRowsPerFile: N).RunAsync();

        result.Status.Should().Be(ExportRunStatus.PartiallySucceeded);
        result.Entries.Select(a => a.Status).Should().Equal(ExportRunStatus.Succeeded, ExportRunStatus.Failed);
        result.Entries[1].Error.Should().Contain("audience 'b'").And.Contain($"simulated outage committing '{Staged("dest_b_2.csv")}'");
        _folder.ListAllFiles().Should().BeEquivalentTo(["dest_a.csv", "dest_a_2.csv", "manifest-dest-run1.json"]);
        recorder!.Events.Should().Contain("delete " + Staged("dest_b.csv"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RunAsync_SecondAudienceCannotBePublished_ManifestNamesOnlyThePublishedFiles(bool earlierRun)
    {
        if (earlierRun)
        {
            // The fixed names already hold an earlier delivery of b: it stays, and the new manifest does not name it.
            File.WriteAllText(Path.Combine(_folder.Root, "dest_b.csv"), "earlier\n");
        }

        RecordingDestination? recorder = null;

        var result = await TwoAudiences(5, d => recorder = new RecordingDestination(d) { FailMoveNumber = 2 }).RunAsync();

        result.Status.Should().Be(ExportRunStatus.PartiallySucceeded);
        result.Entries.Select(a => a.Status).Should().Equal(ExportRunStatus.Succeeded, ExportRunStatus.Failed);
        result.Entries[1].Error.Should().Contain("audience 'b'").And.Contain("could not be published under their fixed names")
            .And.Contain($"simulated outage moving '{Staged("dest_b.csv")}'");
        result.ManifestPath.Should().Be("manifest-dest-run1.json");
        using var manifest = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(Path.Combine(_folder.Root, "manifest-dest-run1.json")));
        manifest.RootElement.GetProperty("exportResults").EnumerateArray().Select(f => f.GetProperty("sinkPath").GetString())
            .Should().Equal("dest_a.csv");
        File.ReadAllLines(Path.Combine(_folder.Root, "dest_a.csv")).Should().HaveCount(6);
        _folder.ListAllFiles().Should().BeEquivalentTo(earlierRun
            ? ["dest_a.csv", "dest_b.csv", "manifest-dest-run1.json"]
            : ["dest_a.csv", "manifest-dest-run1.json"]);
        if (earlierRun)
        {
            File.ReadAllText(Path.Combine(_folder.Root, "dest_b.csv")).Should().Be("earlier\n");
        }

        recorder!.Events.Should().Contain("delete " + Staged("dest_b.csv"));
    }

    [Fact]
    public async Task RunAsync_ManifestCannotBeRewrittenAfterAPartialPublish_RemovesItAndFails()
    {
        // Opens: a's part, b's part, the manifest, then its rewrite without b.
        var result = await TwoAudiences(5, d => new RecordingDestination(d) { FailMoveNumber = 2, FailOpenNumber = 4 }).RunAsync();

        result.Status.Should().Be(ExportRunStatus.Failed);
        result.ManifestPath.Should().BeNull();
        result.Errors.Should().Contain(e => e.Contains("could not be rewritten without the unpublished files", StringComparison.Ordinal)
            && e.Contains("simulated outage opening 'manifest-dest-run1.json'", StringComparison.Ordinal));
        _folder.ListAllFiles().Should().BeEquivalentTo(["dest_a.csv"], "no manifest names b's files, which were never published");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(N + 2)]
    [InlineData(Rows - 1)]
    public async Task RunAsync_CancelledWhileReading_ThrowsAndLeavesNothing(int cancelAtRow)
    {
        using var cts = new CancellationTokenSource();
        var source = new TableSource(Columns) { BeforeRow = i => { if (i == cancelAtRow) { cts.Cancel(); } } }
            .AddGenerated("seg", "Segment", Rows, Row);

        var act = () => Scenario(source).RunAsync(cts.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        _folder.ListAllFiles().Should().BeEmpty();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(5)]
    public async Task RunAsync_CancelledWhileCommittingPartOrManifest_ThrowsAndLeavesNothing(int commitNumber)
    {
        using var cts = new CancellationTokenSource();

        var act = () => Scenario(Source(Rows), d => new RecordingDestination(d) { BeforeCommit = n => { if (n == commitNumber) { cts.Cancel(); } } }, ExportCompression.Gzip)
            .RunAsync(cts.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        _folder.ListAllFiles().Should().BeEmpty();
    }

    [Fact]
    public async Task RunAsync_CancelledDuringSecondAudience_RemovesFinishedAudienceToo()
    {
        using var cts = new CancellationTokenSource();
        var source = new TableSource(Columns) { BeforeRow = i => { if (i == 15) { cts.Cancel(); } } }
            .AddGenerated("a", "Audience A", 10, Row)
            .AddGenerated("b", "Audience B", Rows, Row);

        var act = () => new ExportScenario
        {
            Source = source,
            Attributes = source.AttributeNames,
            Root = _folder.Root,
            AudienceIds = ["a", "b"],
            Configure = d => d.Output.MaxRowsPerFile = N,
        }.RunAsync(cts.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        _folder.ListAllFiles().Should().BeEmpty("no manifest vouches for audience a, so its files go too");
    }

    [Fact]
    public async Task RunAsync_AlreadyCancelled_ThrowsAndWritesNothing()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        var act = () => Scenario(Source(Rows)).RunAsync(cts.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        _folder.ListAllFiles().Should().BeEmpty();
    }

    private static readonly ExportColumn[] Columns = [new("id", ExportColumnType.Int32), new("name", ExportColumnType.String)];

    private static object?[] Row(long i) => [(int)i, "name " + i];

    private static TableSource Source(int rows, long? throwAt = null) =>
        new TableSource(Columns) { ThrowAtRow = throwAt, BatchSize = BatchSize }.AddGenerated("seg", "Segment", rows, Row);

    /// <summary>Audiences a and b, <paramref name="rows"/> rows each, exported in one run through <paramref name="wrap"/>.</summary>
    private ExportScenario TwoAudiences(int rows, Func<IDestination, IDestination> wrap, int? maxRowsPerFile = null)
    {
        var source = new TableSource(Columns).AddGenerated("a", "Audience A", rows, Row).AddGenerated("b", "Audience B", rows, Row);
        return new()
        {
            Source = source,
            Attributes = source.AttributeNames,
            Root = _folder.Root,
            AudienceIds = ["a", "b"],
            Configure = maxRowsPerFile is { } max ? d => d.Output.MaxRowsPerFile = max : null,
            Wrap = wrap,
        };
    }

    private ExportScenario Scenario(TableSource source, Func<IDestination, IDestination>? wrap = null, ExportCompression compression = ExportCompression.None) => new()
    {
        Source = source,
        Attributes = source.AttributeNames,
        Root = _folder.Root,
        Configure = d =>
        {
            d.Output.MaxRowsPerFile = N;
            d.Output.Format.Compression = compression;
        },
        Wrap = wrap,
    };
}
