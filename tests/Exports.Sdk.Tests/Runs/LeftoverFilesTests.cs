using Exports.Sdk.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Exports.Sdk.Tests.Runs;

/// <summary>
/// Issue 21, item 9: a run that fails while its storage server is away cannot remove the parts it committed. What it
/// left is recorded with the run, and removed by the next run of the export once the server is back, so a partner
/// never keeps a part of a failed run. Item 10: what a dead host's run left, dataset exports included, goes when a host
/// starts.
/// </summary>
public sealed class LeftoverFilesTests : IDisposable
{
    private readonly string _drop = Directory.CreateTempSubdirectory("exports-leftover-drop-").FullName;
    private readonly string _store = Directory.CreateTempSubdirectory("exports-leftover-store-").FullName;
    private readonly FlakyDestinationProvider _flaky = new();

    [Fact]
    public async Task FailedRunWhoseRollbackCouldNotReachTheServer_LeavesARecord_AndTheNextRunRemovesWhatItLeft()
    {
        await using var provider = Build();
        var dataflow = provider.GetRequiredService<IOptions<ExportsOptions>>().Value.GetDataflow("crm");
        var runner = provider.GetRequiredService<IExportRunner>();
        var store = provider.GetRequiredService<IExportStore>();

        // The server goes away after the first part: the second part fails, and so does the rollback's delete.
        _flaky.FailDataFilesAfter = 1;
        _flaky.FailDeletes = true;
        var failed = await runner.RunAsync(dataflow, new ExportRunRequest());

        failed.Status.Should().Be(ExportRunStatus.Failed);
        var record = await store.GetRunAsync("crm", failed.RunId);
        var left = record!.LeftoverFiles.Should().ContainSingle().Which;
        record.Destination.Should().Be("drop");
        File.Exists(Path.Combine(_drop, left)).Should().BeTrue("the server was away: the part is still there");

        // The server is back: the next run of the export first removes what the failed one left.
        (_flaky.FailDataFilesAfter, _flaky.FailDeletes) = (null, false);
        var next = await runner.RunAsync(dataflow, new ExportRunRequest());

        next.Status.Should().Be(ExportRunStatus.Succeeded, string.Join("; ", next.Errors));
        (await store.GetRunAsync("crm", failed.RunId))!.LeftoverFiles.Should().BeEmpty();
        (await store.GetRunAsync("crm", next.RunId))!.LeftoverFiles.Should().BeEmpty("a successful run leaves nothing over");
        Directory.EnumerateFiles(_drop).Select(Path.GetFileName).Order(StringComparer.Ordinal)
            .Should().Equal(next.Files.Select(f => f.Path).Append(next.ManifestPath!).Order(StringComparer.Ordinal), "only the good run's files and manifest remain");
    }

    [Fact]
    public async Task ARetriedSlot_KeepsWhatTheFailedAttemptLeftOnRecord_SoItIsStillRemovedLater()
    {
        await using var provider = Build();
        var dataflow = provider.GetRequiredService<IOptions<ExportsOptions>>().Value.GetDataflow("crm");
        var runner = provider.GetRequiredService<IExportRunner>();
        var slot = new ExportRunRequest { RunId = "slot-0600", ScheduledTime = new DateTimeOffset(2026, 6, 2, 6, 0, 0, TimeSpan.Zero) };

        // The first attempt commits two parts before the server goes away; the retry, the server still away, one.
        (_flaky.FailDataFilesAfter, _flaky.FailDeletes) = (2, true);
        (await runner.RunAsync(dataflow, slot)).Status.Should().Be(ExportRunStatus.Failed);
        _flaky.FailDataFilesAfter = 4;
        (await runner.RunAsync(dataflow, slot)).Status.Should().Be(ExportRunStatus.Failed);
        Directory.EnumerateFiles(_drop).Should().HaveCount(2, "both attempts' parts are still there");

        (_flaky.FailDataFilesAfter, _flaky.FailDeletes) = (null, false);
        var next = await runner.RunAsync(dataflow, new ExportRunRequest());

        next.Status.Should().Be(ExportRunStatus.Succeeded, string.Join("; ", next.Errors));
        Directory.EnumerateFiles(_drop).Select(Path.GetFileName).Order(StringComparer.Ordinal)
            .Should().Equal(next.Files.Select(f => f.Path).Append(next.ManifestPath!).Order(StringComparer.Ordinal), "the first attempt's second part was kept on record by the retry, and removed");
    }

    [Fact]
    public async Task ARunWhoseOutcomeCannotBeRecorded_IsNotReportedDelivered_AndWhatItWroteGoesManifestFirst()
    {
        var down = true;
        await using var provider = Build(store => OutageStore.Wrap(store, (method, run) => down && method == nameof(IExportStore.SaveRunAsync) && !run.IsActive), writeLatest: true);
        var dataflow = provider.GetRequiredService<IOptions<ExportsOptions>>().Value.GetDataflow("crm");
        var runner = provider.GetRequiredService<IExportRunner>();
        var store = provider.GetRequiredService<IExportStore>();

        // Every file and the manifest are committed, then the store refuses the run's final record (after its retries).
        var unrecorded = () => runner.RunAsync(dataflow, new ExportRunRequest { RunId = "slot-1" });

        (await unrecorded.Should().ThrowAsync<ExportException>()).Which.Message.Should().Contain("could not be recorded");
        var record = (await store.GetRunAsync("crm", "slot-1"))!;
        record.Status.Should().Be(ExportRunStatus.Running, "the store still holds the claim");
        record.LeftoverFiles.Should().HaveCount(4, "three parts and the manifest are on record");
        record.LeftoverFiles[0].Should().StartWith("manifest-", "a clean-up removes the manifest before the files it names");
        Directory.EnumerateFiles(_drop).Should().HaveCount(4);
        Directory.Exists(Path.Combine(_drop, "latest")).Should().BeFalse("no fixed-path copy names the files of a run that is not on record");

        // The store is back: the next run records the unrecorded one as interrupted, and the one after removes what it wrote.
        down = false;
        (await runner.RunAsync(dataflow, new ExportRunRequest())).Status.Should().Be(ExportRunStatus.Succeeded);
        (await store.GetRunAsync("crm", "slot-1"))!.Status.Should().Be(ExportRunStatus.Failed);
        var last = await runner.RunAsync(dataflow, new ExportRunRequest());

        (await store.GetRunAsync("crm", "slot-1"))!.LeftoverFiles.Should().BeEmpty();
        Directory.EnumerateFiles(_drop).Select(Path.GetFileName).Should().NotContain(record.LeftoverFiles, "nothing the unrecorded run wrote stays");
        Directory.EnumerateFiles(_drop).Should().Contain(f => Path.GetFileName(f) == last.ManifestPath);
        File.ReadAllText(Path.Combine(_drop, "latest", "crm", "vip.json")).Should().Contain(last.RunId, "a recorded run's copy is written");
    }

    [Fact]
    public async Task AManifestWhoseEntryCannotBeRecorded_IsNotWritten_AndTheRunFails()
    {
        // The store takes every write but the run's entry for its manifest.
        await using var provider = Build(store => OutageStore.Wrap(store, (method, run) =>
            method == nameof(IExportStore.SaveRunProgressAsync) && run.LeftoverFiles.FirstOrDefault()?.StartsWith("manifest-", StringComparison.Ordinal) == true));
        var dataflow = provider.GetRequiredService<IOptions<ExportsOptions>>().Value.GetDataflow("crm");

        var result = await provider.GetRequiredService<IExportRunner>().RunAsync(dataflow, new ExportRunRequest());

        result.Status.Should().Be(ExportRunStatus.Failed);
        result.Errors.Should().ContainSingle().Which.Should().Contain("could not be saved in the store");
        result.ManifestPath.Should().BeNull();
        Directory.EnumerateFiles(_drop).Should().NotContain(f => Path.GetFileName(f).StartsWith("manifest-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task APartWhoseEntryCannotBeRecorded_IsNotCommitted_AndTheRunLeavesNothing()
    {
        // The store takes every write but the run's entry for its second part.
        string? refused = null;
        await using var provider = Build(store => OutageStore.Wrap(store, (method, run) =>
        {
            if (method == nameof(IExportStore.SaveRunProgressAsync) && run.LeftoverFiles.Count == 2)
            {
                refused ??= run.LeftoverFiles[1];
                return true;
            }

            return false;
        }));
        var dataflow = provider.GetRequiredService<IOptions<ExportsOptions>>().Value.GetDataflow("crm");

        var result = await provider.GetRequiredService<IExportRunner>().RunAsync(dataflow, new ExportRunRequest());

        result.Status.Should().Be(ExportRunStatus.Failed);
        refused.Should().NotBeNull();
        result.Errors.Should().ContainSingle().Which.Should().Contain($"The file '{refused}' was not committed").And.Contain("could not be saved in the store");
        Directory.EnumerateFiles(_drop, "*", new EnumerationOptions { AttributesToSkip = 0, RecurseSubdirectories = true })
            .Should().BeEmpty("the unrecorded part was never committed and the recorded one was rolled back");
        (await provider.GetRequiredService<IExportStore>().GetRunAsync("crm", result.RunId))!.LeftoverFiles.Should().BeEmpty();
    }

    [Fact]
    public async Task FailedRunWhoseRollbackSucceeded_LeavesNothingOnRecord()
    {
        await using var provider = Build();
        var dataflow = provider.GetRequiredService<IOptions<ExportsOptions>>().Value.GetDataflow("crm");
        _flaky.FailDataFilesAfter = 1;

        var failed = await provider.GetRequiredService<IExportRunner>().RunAsync(dataflow, new ExportRunRequest());

        failed.Status.Should().Be(ExportRunStatus.Failed);
        (await provider.GetRequiredService<IExportStore>().GetRunAsync("crm", failed.RunId))!.LeftoverFiles.Should().BeEmpty();
        Directory.EnumerateFiles(_drop).Should().BeEmpty();
    }

    [Fact]
    public async Task APartWhoseCommitFailed_IsNotLeftOnRecord_OnceTheRollbackRemovedIt()
    {
        // Its path was recorded before the commit (it might publish), and stayed listed after a rollback that left nothing.
        await using var provider = Build();
        var dataflow = provider.GetRequiredService<IOptions<ExportsOptions>>().Value.GetDataflow("crm");
        _flaky.FailDataCommitsAfter = 1;

        var failed = await provider.GetRequiredService<IExportRunner>().RunAsync(dataflow, new ExportRunRequest());

        failed.Status.Should().Be(ExportRunStatus.Failed);
        failed.Errors.Should().ContainSingle().Which.Should().Contain("The connection dropped while the file was published");
        Directory.EnumerateFiles(_drop, "*", new EnumerationOptions { AttributesToSkip = 0, RecurseSubdirectories = true }).Should().BeEmpty();
        (await provider.GetRequiredService<IExportStore>().GetRunAsync("crm", failed.RunId))!.LeftoverFiles.Should().BeEmpty();
    }

    [Fact]
    public async Task DeadDatasetExportRun_WhatItLeftIsRemovedWhenAHostStarts()
    {
        // What a host killed mid-run of a dataset export left: a committed part and a temp file, both on record.
        Directory.CreateDirectory(Path.Combine(_drop, "orders"));
        await File.WriteAllTextAsync(Path.Combine(_drop, "orders", "orders-run9.csv"), "id\n1\n");
        await File.WriteAllTextAsync(Path.Combine(_drop, "orders", ".exports-tmp-0123456789abcdef"), "id\n2\n");
        await new FileExportStore(_store).SaveRunAsync(new ExportRunRecord
        {
            RunId = "run9",
            DataflowId = "orders-export",
            Kind = ExportFlowKind.DatasetExport,
            Status = ExportRunStatus.Running,
            AudienceIds = ["orders"],
            ScheduledTime = new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero),
            CreatedAt = new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero),
            Host = ExportStoreCore.CurrentHost,
            Destination = "local",
            LeftoverFiles = ["orders/orders-run9.csv"],
            LeftoverWrites = [new LeftoverWrite("orders/orders-run9_2.csv", ".exports-tmp-0123456789abcdef")],
        });
        var services = new ServiceCollection().AddLogging();
        services.AddExports().UseFileExportStore(_store).AddLocalFolderDestination("local", _drop);
        await using var provider = services.BuildServiceProvider();

        foreach (var hosted in provider.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
        }

        // Dataset exports are not stored, so only the dead run itself can name this export to the clean-up. It runs in
        // the background and saves the record after removing the files, so the record is what to wait for.
        var store = provider.GetRequiredService<IExportStore>();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        var dead = await store.GetRunAsync("orders-export", "run9");
        while ((dead!.LeftoverFiles.Count > 0 || dead.LeftoverWrites.Count > 0) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            dead = await store.GetRunAsync("orders-export", "run9");
        }

        dead.Status.Should().Be(ExportRunStatus.Failed);
        dead.LeftoverFiles.Should().BeEmpty();
        dead.LeftoverWrites.Should().BeEmpty();
        Directory.EnumerateFiles(Path.Combine(_drop, "orders"), "*", new EnumerationOptions { AttributesToSkip = 0 }).Should().BeEmpty();
        foreach (var hosted in provider.GetServices<IHostedService>().Reverse())
        {
            await hosted.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task EveryPartsTempFile_IsOnRecordBeforeItExists()
    {
        // A host killed between creating a temp file and recording it would leave a file no clean-up knows of.
        var destination = new LocalFolderDestination("local", _drop);
        var schema = new ExportSchema(new ExportColumn("id", ExportColumnType.Int64));
        var batch = new RowBatch(schema, 25);
        for (var i = 0; i < 25; i++)
        {
            batch.SetInt64(batch.AddRow(), 0, i);
        }

        var recorded = new List<(string Path, string Token, bool Existed)>();
        await using (var writer = new PartitionedFileWriter(new PartitionedFileWriterOptions
        {
            Destination = destination,
            Format = new CsvFormat(),
            FormatContext = new FormatWriterContext([new OutputColumn("id", ExportColumnType.Int64, 0)], new FileFormatOptions(), "orders"),
            BaseName = "orders",
            SourceId = "orders",
            MaxRowsPerFile = 10,
            OnPending = (path, token) =>
            {
                recorded.Add((path, token, File.Exists(Path.Combine(_drop, token))));
                return ValueTask.CompletedTask;
            },
        }))
        {
            await writer.WriteAsync(batch, Enumerable.Range(0, batch.Count).ToArray(), default);
            await writer.CompleteAsync(writeWhenEmpty: true, default);
        }

        recorded.Select(r => r.Path).Should().Equal("orders.csv", "orders_2.csv", "orders_3.csv");
        recorded.Should().OnlyContain(r => !r.Existed, "each temp file is recorded before its first byte, header included");
        recorded.Select(r => r.Token).Should().OnlyHaveUniqueItems();
        Directory.EnumerateFiles(_drop).Select(Path.GetFileName).Should().BeEquivalentTo(["orders.csv", "orders_2.csv", "orders_3.csv"]);
    }

    [Fact]
    public async Task APartTheFormatRefuses_IsSettledAgain_SoNoWriteStaysOnRecord()
    {
        var settled = new List<string>();
        var pending = new List<string>();
        var writer = new PartitionedFileWriter(new PartitionedFileWriterOptions
        {
            Destination = new LocalFolderDestination("local", _drop),
            Format = new RefusingFormat(),
            FormatContext = new FormatWriterContext([new OutputColumn("id", ExportColumnType.Int64, 0)], new FileFormatOptions(), "orders"),
            BaseName = "orders",
            SourceId = "orders",
            OnPending = (path, _) =>
            {
                pending.Add(path);
                return ValueTask.CompletedTask;
            },
            OnSettled = settled.Add,
        });
        await using (writer)
        {
            var act = async () => await writer.CompleteAsync(writeWhenEmpty: true, default);
            await act.Should().ThrowAsync<ExportValidationException>().WithMessage("*column 'id'*");
        }

        pending.Should().Equal("orders.csv");
        settled.Should().Equal(pending, "the aborted writer removed what was recorded");
        Directory.EnumerateFiles(_drop, "*", new EnumerationOptions { AttributesToSkip = 0 }).Should().BeEmpty();
    }

    public void Dispose()
    {
        Directory.Delete(_drop, recursive: true);
        Directory.Delete(_store, recursive: true);
    }

    private ServiceProvider Build(Func<IExportStore, IExportStore>? wrapStore = null, bool writeLatest = false)
    {
        var members = Enumerable.Range(0, 30).Select(i => new AudienceMember(
            new Dictionary<string, object?> { ["person.email"] = $"p{i}@example.com" }, MembershipStatus.Realized, new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero)));
        var services = new ServiceCollection().AddLogging();
        services.AddExports()
            .UseExportStore(sp => (wrapStore ?? (s => s))(new FileExportStore(_store, sp.GetRequiredService<TimeProvider>())))
            .AddDestinationProvider(_flaky)
            .AddDestination("drop", FlakyDestinationProvider.TypeName, d =>
            {
                d.Settings["path"] = _drop;
                d.Output.MaxRowsPerFile = 10;
                d.Output.WriteLatest = writeLatest;
            })
            .AddAudienceSource("src", new InMemoryAudienceSource().AddAudience(new AudienceInfo("vip", "VIP"), members))
            .AddDataflow("crm", d =>
            {
                d.Source = "src";
                d.Destination = "drop";
                d.Attributes = ["person.email"];
                d.Audiences = [new AudienceActivation { AudienceId = "vip" }];
            });
        return services.BuildServiceProvider();
    }

    /// <summary>A CSV format that refuses every column, as a format does a type it cannot write.</summary>
    private sealed class RefusingFormat : IExportFormat
    {
        public string Name => "csv";

        public string FileExtension => "csv";

        public bool SupportsCompression => true;

        public IReadOnlyList<string> Validate(FileFormatOptions options) => [];

        public IFormatWriter CreateWriter(Stream output, FormatWriterContext context) =>
            throw new ExportValidationException($"{context.ExportName}: column '{context.Columns[0].Name}' cannot be written.");
    }
}
