using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace Exports.Sdk.Tests.Runs;

public sealed class DatasetExportTests : IAsyncDisposable
{
    private static readonly DateTimeOffset Slot = new(2026, 3, 14, 9, 26, 53, TimeSpan.Zero);

    private static readonly ExportSchema Schema = new(
        new ExportColumn("seq", ExportColumnType.Int64),
        new ExportColumn("event.type", ExportColumnType.String),
        new ExportColumn("occurredAt", ExportColumnType.Timestamp));

    private readonly string _root = Directory.CreateTempSubdirectory("exports-datasets-").FullName;
    private readonly InMemoryDatasetSource _source = new();
    private readonly FailingDatasetSource _failing;
    private ServiceProvider? _provider;

    public DatasetExportTests() => _failing = new FailingDatasetSource(_source);

    [Fact]
    public async Task RunAsync_Full_WritesDocumentedLayoutWithManifest()
    {
        _source.AddDataset("web/events", Schema, Events(1, 10));
        var runner = Runner(d => d.FolderPath = "lake");

        var result = await runner.RunAsync(Export(watermark: "seq"), new DatasetRunRequest { RunId = "run-1", ScheduledTime = Slot });

        result.Status.Should().Be(ExportRunStatus.Succeeded, string.Join(" ", result.Errors));
        result.Entries[0].FolderPath.Should().Be("lake/web_events/exportTime=202603140926");
        result.Files.Select(f => f.Path).Should().Equal("lake/web_events/exportTime=202603140926/web_events-run-1.jsonl");
        result.ManifestPath.Should().Be("lake/web_events/exportTime=202603140926/manifest-out-run-1.json");
        result.RowsExported.Should().Be(10);
        result.Entries[0].Watermark.Should().Be(DatasetWatermark.FromInt64(10));

        var manifest = ManifestWriter.Read(File.ReadAllBytes(Path.Combine(_root, result.ManifestPath!)));
        manifest.DataflowId.Should().Be("events-export");
        manifest.FlowRunId.Should().Be("run-1");
        manifest.ExportResults.Should().ContainSingle().Which.DatasetId.Should().Be("web/events");
        manifest.Columns.Select(c => c.Name).Should().Equal("seq", "event.type", "occurredAt");
    }

    [Fact]
    public async Task RunAsync_FromCode_IsClaimedAndRecordedInTheStore_LikeAnAudienceRun()
    {
        _source.AddDataset("web/events", Schema, Events(1, 10));
        var runner = Runner();
        var store = _provider!.GetRequiredService<IExportStore>();

        var succeeded = await runner.RunAsync(Export(watermark: "seq"), new DatasetRunRequest { RunId = "run-1", ScheduledTime = Slot });
        _failing.FailAfterBatches = 0;
        var failed = await runner.RunAsync(Export(source: "failing", watermark: "seq"), new DatasetRunRequest { RunId = "run-2", ScheduledTime = Slot.AddHours(1) });
        var invalid = () => runner.RunAsync(new DatasetExportDefinition { Id = "events-export", Source = "nope", Destination = "out", DatasetId = "web/events" }, new DatasetRunRequest { RunId = "run-3" });

        await invalid.Should().ThrowAsync<ExportValidationException>();
        var recorded = await store.GetRunAsync("events-export", "run-1");
        recorded.Should().NotBeNull();
        recorded!.Kind.Should().Be(ExportFlowKind.DatasetExport);
        recorded.Status.Should().Be(ExportRunStatus.Succeeded);
        recorded.AudienceIds.Should().Equal("web/events");
        recorded.ScheduledTime.Should().Be(Slot);
        recorded.RowsExported.Should().Be(10).And.Be(succeeded.RowsExported);
        recorded.ManifestPath.Should().Be(succeeded.ManifestPath).And.NotBeNull();
        recorded.Entries.Should().ContainSingle().Which.Watermark.Should().Be(DatasetWatermark.FromInt64(10));
        var recordedFailure = await store.GetRunAsync("events-export", "run-2");
        recordedFailure!.Status.Should().Be(ExportRunStatus.Failed).And.Be(failed.Status);
        recordedFailure.Errors.Should().ContainSingle().Which.Should().Contain("connection reset");
        (await store.GetRunAsync("events-export", "run-3")).Should().BeNull("an invalid export is refused before anything is claimed");
        (await store.ListRunsAsync("events-export").ToListAsync()).Should().HaveCount(2).And.OnlyContain(r => !r.IsActive);
    }

    [Fact]
    public async Task RunAsync_TwoRunsSameMinute_UniqueNamesSideBySide()
    {
        _source.AddDataset("web/events", Schema, Events(1, 3));
        var runner = Runner();

        var first = await runner.RunAsync(Export(), new DatasetRunRequest { ScheduledTime = Slot });
        var second = await runner.RunAsync(Export(), new DatasetRunRequest { ScheduledTime = Slot.AddSeconds(5) });

        first.Entries[0].FolderPath.Should().Be(second.Entries[0].FolderPath);
        first.Files.Single().Name.Should().NotBe(second.Files.Single().Name);
        Files().Count(f => f.EndsWith(".jsonl", StringComparison.Ordinal)).Should().Be(2);
    }

    [Fact]
    public async Task RunAsync_Incremental_SecondRunExportsOnlyNewRows()
    {
        _source.AddDataset("web/events", Schema, Events(1, 100));
        var runner = Runner();
        var export = Export(watermark: "seq");

        var first = await runner.RunAsync(export, new DatasetRunRequest { ScheduledTime = Slot });
        _source.AppendRows("web/events", Events(101, 130));
        var second = await runner.RunAsync(export, new DatasetRunRequest { ScheduledTime = Slot.AddHours(1), Since = first.Entries[0].Watermark });
        var third = await runner.RunAsync(export, new DatasetRunRequest { ScheduledTime = Slot.AddHours(2), Since = second.Entries[0].Watermark });

        first.RowsExported.Should().Be(100);
        first.Entries[0].Watermark.Should().Be(DatasetWatermark.FromInt64(100));
        second.RowsExported.Should().Be(30);
        ReadSeq(second).Should().Equal(Enumerable.Range(101, 30).Select(i => (long)i));
        second.Entries[0].Watermark.Should().Be(DatasetWatermark.FromInt64(130));
        third.RowsExported.Should().Be(0, "nothing new: a header-less empty JSON Lines file");
        third.Entries[0].Watermark.Should().Be(second.Entries[0].Watermark, "no new row keeps the watermark");
    }

    [Fact]
    public async Task RunAsync_OneBatchIntoManyParts_ReportsProgressAsEachPartIsCommitted()
    {
        // One batch of 12 rows, one row a part: progress came once the whole batch was written, so a slow destination's
        // run showed nothing for minutes.
        _source.AddDataset("web/events", Schema, Events(1, 12));
        var runner = Runner(d => d.Output.MaxRowsPerFile = 1);
        var reports = new List<ExportProgress>();

        var result = await runner.RunAsync(Export(), new DatasetRunRequest { ScheduledTime = Slot }, new SynchronousProgress(reports.Add));

        result.Files.Should().HaveCount(12);
        reports.Select(r => r.FilesCommitted).Distinct().Should().BeEquivalentTo(Enumerable.Range(1, 12), "one report as each part is committed");
        reports.Should().OnlyContain(r => r.RowsRead == 12);
    }

    [Fact]
    public async Task RunAsync_SourceIgnoresSince_EngineStillExportsOnlyNewerRows()
    {
        _source.AddDataset("web/events", Schema, Events(1, 50));
        var runner = Runner();
        _failing.IgnoreSince = true;

        var result = await runner.RunAsync(Export(source: "failing", watermark: "seq"), new DatasetRunRequest { Since = DatasetWatermark.FromInt64(40) });

        ReadSeq(result).Should().Equal(Enumerable.Range(41, 10).Select(i => (long)i));
        result.RowsRead.Should().Be(50);
        result.Entries[0].RowsSkipped.Should().ContainSingle().Which.Value.Should().Be(40);
    }

    [Fact]
    public async Task RunAsync_FailedRun_KeepsWatermarkLeavesNothingAndNextRunExportsOnce()
    {
        _source.AddDataset("web/events", Schema, Events(1, 100));
        var runner = Runner(d => d.Output.MaxRowsPerFile = 10);
        var export = Export(source: "failing", watermark: "seq");
        var first = await runner.RunAsync(export, new DatasetRunRequest { ScheduledTime = Slot });
        var before = Files();
        _source.AppendRows("web/events", Events(101, 150));

        _failing.FailAfterBatches = 1;
        var failed = await runner.RunAsync(export, new DatasetRunRequest { ScheduledTime = Slot.AddHours(1), Since = first.Entries[0].Watermark, RunId = "run-2" });
        _failing.FailAfterBatches = null;
        var retried = await runner.RunAsync(export, new DatasetRunRequest { ScheduledTime = Slot.AddHours(2), Since = failed.Entries[0].Watermark });

        failed.Status.Should().Be(ExportRunStatus.Failed);
        failed.Errors.Should().ContainSingle().Which.Should().Contain("events-export").And.Contain("web/events").And.Contain("connection reset");
        failed.Entries[0].Watermark.Should().Be(first.Entries[0].Watermark, "a failed run must not advance the watermark");
        failed.Files.Should().BeEmpty();
        Files().Should().NotContain(f => f.Contains("run-2", StringComparison.Ordinal), "the failed run's committed parts are deleted");
        retried.Status.Should().Be(ExportRunStatus.Succeeded, string.Join(" ", retried.Errors));
        retried.Entries[0].Watermark.Should().Be(DatasetWatermark.FromInt64(150));

        var exported = new[] { first, retried }.SelectMany(ReadSeq).ToList();
        exported.Should().OnlyHaveUniqueItems().And.BeEquivalentTo(Enumerable.Range(1, 150).Select(i => (long)i), "every row exactly once");
        Files().Except(before).Should().OnlyContain(f => f.Contains(retried.Entries[0].FolderPath, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_MissingColumn_FailsNamingExportDatasetAndColumn()
    {
        _source.AddDataset("web/events", Schema, Events(1, 5));
        var runner = Runner();

        var result = await runner.RunAsync(WithColumns(Export(), "seq", "event.kind"), new DatasetRunRequest());

        result.Status.Should().Be(ExportRunStatus.Failed);
        result.Errors.Should().ContainSingle().Which.Should().Contain("Dataset export 'events-export'").And.Contain("dataset 'web/events'").And.Contain("'event.kind'");
        Files().Should().BeEmpty();
    }

    [Fact]
    public async Task RunAsync_WatermarkColumnNotOrderable_FailsNamingColumn()
    {
        _source.AddDataset("web/events", Schema, Events(1, 5));

        var result = await Runner().RunAsync(Export(watermark: "event.type"), new DatasetRunRequest());

        result.Errors.Should().ContainSingle().Which.Should().Contain("watermark column 'event.type' is String");
        Files().Should().BeEmpty();
    }

    [Fact]
    public async Task RunAsync_OwnOutputWithAnUnknownFormat_IsRefusedOnceNamingTheExportAndTheField()
    {
        _source.AddDataset("web/events", Schema, Events(1, 3));
        var export = Export();
        export.Output = new ExportOutputOptions { Format = { Name = "xml" } };

        var act = () => Runner().RunAsync(export, new DatasetRunRequest());

        var error = await act.Should().ThrowAsync<ExportValidationException>();
        error.Which.Errors.Should().ContainSingle().Which.Should().StartWith("Dataset export 'events-export': Output.Format.Name 'xml' is not a registered format");
        Files().Should().BeEmpty();
    }

    [Fact]
    public async Task RunAsync_DatasetIdTooLongForAFileName_IsRefusedBeforeAnythingRuns()
    {
        // Issue 21, item 12: a 300-character dataset id used to fail late, with the file system's "name too long".
        var id = new string('d', 300);
        _source.AddDataset(id, Schema, Events(1, 3));
        var export = Export();
        export.DatasetId = id;

        var act = () => Runner().RunAsync(export, new DatasetRunRequest());

        var error = await act.Should().ThrowAsync<ExportValidationException>();
        error.Which.Errors.Should().ContainSingle().Which.Should().Be("Dataset export 'events-export': DatasetId is 300 bytes long; at most 200, since it names the export's folder and starts each file name.");
        Files().Should().BeEmpty();
    }

    [Fact]
    public async Task RunAsync_UnknownSourceAndDestination_ThrowsListingBoth()
    {
        var act = () => Runner().RunAsync(new DatasetExportDefinition { Id = "x", Source = "nope", Destination = "nowhere", DatasetId = "d" }, new DatasetRunRequest());

        var error = await act.Should().ThrowAsync<ExportValidationException>();
        error.Which.Errors.Should().HaveCount(2);
        error.Which.Message.Should().Contain("'nope'").And.Contain("'nowhere'");
    }

    [Fact]
    public void Watermark_TextForm_RoundTrips()
    {
        var values = new[]
        {
            DatasetWatermark.FromTimestamp(new DateTimeOffset(2026, 1, 31, 10, 0, 0, TimeSpan.FromHours(1)).AddTicks(7)),
            DatasetWatermark.FromInt64(long.MaxValue),
            DatasetWatermark.FromInt32(-5),
            DatasetWatermark.FromDate(new DateOnly(2026, 1, 31)),
        };

        values.Select(v => DatasetWatermark.Parse(v.ToString())).Should().Equal(values);
        values[0].ToString().Should().Be("timestamp:2026-01-31T09:00:00.0000007Z");
        FluentActions.Invoking(() => DatasetWatermark.Parse("yesterday")).Should().Throw<FormatException>();
    }

    public async ValueTask DisposeAsync()
    {
        if (_provider is not null)
        {
            await _provider.DisposeAsync();
        }

        Directory.Delete(_root, recursive: true);
    }

    private static DatasetExportDefinition Export(string source = "mem", string? watermark = null) =>
        new() { Id = "events-export", Source = source, Destination = "out", DatasetId = "web/events", WatermarkColumn = watermark };

    private static DatasetExportDefinition WithColumns(DatasetExportDefinition export, params string[] columns)
    {
        export.Columns = [.. columns];
        return export;
    }

    private static IEnumerable<object?[]> Events(int from, int to) =>
        Enumerable.Range(from, to - from + 1).Select(i => new object?[] { (long)i, i % 3 == 0 ? "purchase" : "view", Slot.AddMinutes(-i) });

    private IDatasetExportRunner Runner(Action<DestinationDefinition>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddExports().UseInMemoryExportStore()
            .AddDatasetSource("mem", _source)
            .AddDatasetSource("failing", _failing)
            .AddLocalFolderDestination("out", _root, d =>
            {
                d.Output.Format.Name = "jsonl";
                configure?.Invoke(d);
            });
        _provider = services.BuildServiceProvider();
        return _provider.GetRequiredService<IDatasetExportRunner>();
    }

    private List<string> Files() =>
        [.. Directory.GetFiles(_root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(_root, f).Replace('\\', '/'))];

    private List<long> ReadSeq(ExportRunResult result) =>
        [.. result.Files.SelectMany(f => File.ReadAllLines(Path.Combine(_root, f.Path)))
            .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("seq").GetInt64())];

    /// <summary>Reports on the caller's thread (Progress&lt;T&gt; posts to the thread pool, out of order).</summary>
    private sealed class SynchronousProgress(Action<ExportProgress> report) : IProgress<ExportProgress>
    {
        public void Report(ExportProgress value) => report(value);
    }

    /// <summary>Wraps a source to fail like a dropped connection, or to ignore the incremental filter.</summary>
    private sealed class FailingDatasetSource(IDatasetSource inner) : IDatasetSource
    {
        public int? FailAfterBatches { get; set; }

        public bool IgnoreSince { get; set; }

        public IAsyncEnumerable<DatasetInfo> ListDatasetsAsync(CancellationToken cancellationToken = default) => inner.ListDatasetsAsync(cancellationToken);

        public async IAsyncEnumerable<RowBatch> ReadRowsAsync(DatasetReadRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            var effective = IgnoreSince ? new DatasetReadRequest(request.DatasetId) { Columns = request.Columns, WatermarkColumn = request.WatermarkColumn, BatchSize = 4 } : new DatasetReadRequest(request.DatasetId)
            {
                Columns = request.Columns,
                WatermarkColumn = request.WatermarkColumn,
                Since = request.Since,
                BatchSize = 4,
            };
            var batches = 0;
            await foreach (var batch in inner.ReadRowsAsync(effective, cancellationToken))
            {
                if (FailAfterBatches is { } limit && batches++ >= limit)
                {
                    throw new IOException("connection reset by peer");
                }

                yield return batch;
            }
        }
    }
}
