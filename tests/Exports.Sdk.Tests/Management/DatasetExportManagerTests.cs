using Exports.Sdk.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace Exports.Sdk.Tests.Management;

/// <summary>Issue 20: dataset exports are managed like dataflows: CRUD with ETags, duplicate, schedule switch, run now, permissions.</summary>
public class DatasetExportManagerTests
{
    private static readonly ExportSchema EventSchema = new([new ExportColumn("seq", ExportColumnType.Int64), new ExportColumn("event", ExportColumnType.String)]);

    [Fact]
    public async Task CreateEditDuplicateSwitchAndDelete_WithETags_OverTheFileStore()
    {
        using var folder = new TempFolder();
        await using var host = Host(folder.Root);
        var manager = host.Services.GetRequiredService<IDatasetExportManager>();

        var created = await manager.CreateAsync(Callers.Admin, Export(""));
        created.Definition.Id.Should().NotBeEmpty("an id is generated");
        created.DestinationType.Should().Be("memory");
        created.Permissions.Should().Be(DataflowPermissions.View | DataflowPermissions.Edit | DataflowPermissions.Run);

        var edited = created.Definition.Clone();
        edited.FolderTemplate = "%DESTINATION_INSTANCE_NAME%/%DATASET_ID%/%EXPORT_TIME%";
        var updated = await manager.UpdateAsync(Callers.Admin, edited, created.ETag);
        var stale = () => manager.UpdateAsync(Callers.Admin, edited, created.ETag);
        await stale.Should().ThrowAsync<ExportConcurrencyException>();

        var off = await manager.SetScheduleEnabledAsync(Callers.Admin, edited.Id, enabled: false, updated.ETag);
        off.Definition.ScheduleEnabled.Should().BeFalse();
        var copy = await manager.DuplicateAsync(Callers.Admin, edited.Id);
        copy.Definition.Id.Should().NotBe(edited.Id);
        copy.Definition.Name.Should().Be("Raw events (copy)");
        copy.Definition.ScheduleEnabled.Should().BeFalse("a copy must not fire beside the original");
        copy.Definition.FolderTemplate.Should().Be(edited.FolderTemplate);

        (await manager.SearchAsync(Callers.Admin, new DataflowQuery { Search = "copy" })).Items.Should().ContainSingle().Which.Definition.Id.Should().Be(copy.Definition.Id);
        (await manager.SearchAsync(Callers.Admin, new DataflowQuery())).TotalCount.Should().Be(2);

        await manager.DeleteAsync(Callers.Admin, copy.Definition.Id, copy.ETag);
        (await manager.GetAsync(Callers.Admin, copy.Definition.Id)).Should().BeNull();
        (await host.Store.GetDatasetExportAsync(edited.Id))!.Definition.FolderTemplate.Should().Be(edited.FolderTemplate, "stored in the file store");
    }

    [Fact]
    public async Task CreateAsync_InvalidExport_ListsEveryProblemNamingExportFieldAndValue()
    {
        await using var host = Host();
        var manager = host.Services.GetRequiredService<IDatasetExportManager>();
        var bad = Export("bad");
        bad.Source = "warehouse";
        bad.Destination = "nowhere";
        bad.WatermarkColumn = null;
        bad.FolderTemplate = "%DATASET_ID%/%HOUR%";
        bad.Schedule!.Frequency = ScheduleFrequency.Weekly;

        var act = () => manager.CreateAsync(Callers.Admin, bad);

        var errors = (await act.Should().ThrowAsync<ExportValidationException>()).Which.Errors;
        errors.Should().Contain(e => e.Contains("Dataset export 'bad'") && e.Contains("Source 'warehouse' is not a registered dataset source"));
        errors.Should().Contain(e => e.Contains("Destination 'nowhere'"));
        errors.Should().Contain(e => e.Contains("needs a WatermarkColumn"));
        errors.Should().Contain(e => e.Contains("FolderTemplate") && e.Contains("%HOUR%"));
        errors.Should().Contain(e => e.Contains("Schedule.Frequency 'Weekly'") && e.Contains("Every9Hours"));
        (await host.Store.GetDatasetExportAsync("bad")).Should().BeNull("nothing is stored");
    }

    [Fact]
    public async Task Permissions_ViewerSees_ContributorManagesSharedDestinationsOnly_NobodySeesNothing()
    {
        await using var host = Host();
        var manager = host.Services.GetRequiredService<IDatasetExportManager>();
        var created = await manager.CreateAsync(Callers.Admin, Export("events"));
        var partner = Export("partner");
        partner.Destination = "partner-sftp";
        await manager.CreateAsync(Callers.Admin, partner);

        var viewer = await manager.GetAsync(Callers.Viewer, "events");
        viewer!.Permissions.Should().Be(DataflowPermissions.View);
        var viewerEdit = () => manager.SetScheduleEnabledAsync(Callers.Viewer, "events", false, created.ETag);
        (await viewerEdit.Should().ThrowAsync<ExportAccessDeniedException>()).Which.Message.Should().Contain("ManageDatasetExports");
        var viewerRun = () => manager.StartRunAsync(Callers.Viewer, "events");
        await viewerRun.Should().ThrowAsync<ExportAccessDeniedException>();

        var carol = Callers.Contributor("carol");
        (await manager.SearchAsync(carol, new DataflowQuery())).Items.Select(e => e.Definition.Id).Should().Equal(["events"], "partner-sftp is not shared with carol");
        var run = await manager.RunAsync(carol, "events");
        run.Status.Should().Be(ExportRunStatus.Succeeded, string.Join(";", run.Errors));
        var carolOnPartner = () => manager.StartRunAsync(carol, "partner");
        (await carolOnPartner.Should().ThrowAsync<ExportNotFoundException>("an export she may not see is one that does not exist for her"))
            .Which.Message.Should().NotContain("partner-sftp");
        (await manager.GetAsync(carol, "partner")).Should().BeNull();
        var dave = Callers.Contributor("dave");
        var daveRun = () => manager.StartRunAsync(dave, "events");
        await daveRun.Should().ThrowAsync<ExportAccessDeniedException>("dave may only view crm-drop");

        var nobody = () => manager.SearchAsync(Callers.Nobody, new DataflowQuery());
        await nobody.Should().ThrowAsync<ExportAccessDeniedException>();
        var daveRuns = await host.Manager.SearchRunsAsync(dave, "events", new RunQuery());
        daveRuns.Items.Should().ContainSingle().Which.RunId.Should().Be(run.RunId, "the runs are read through the same runs API as the dataflows'");
        var nobodyRuns = () => host.Manager.SearchRunsAsync(Callers.Create("eve", ExportRoles.Contributor), "partner", new RunQuery());
        await nobodyRuns.Should().ThrowAsync<ExportNotFoundException>("a dataset export's runs are checked against its destination");
    }

    [Fact]
    public async Task RunsWrittenBeforeAnExportMoved_StayBehindTheDestinationTheyWroteTo()
    {
        // An export to partner-sftp (shared with no one) runs, then moves to crm-drop (shared with carol): its earlier
        // run, with partner-sftp's files and manifest, was then shown to carol.
        await using var host = Host();
        var manager = host.Services.GetRequiredService<IDatasetExportManager>();
        var export = Export("moving");
        export.Destination = "partner-sftp";
        var created = await manager.CreateAsync(Callers.Admin, export);
        var hidden = await manager.RunAsync(Callers.Admin, "moving");
        var moved = created.Definition.Clone();
        moved.Destination = "crm-drop";
        await manager.UpdateAsync(Callers.Admin, moved, created.ETag);
        var carol = Callers.Contributor("carol");
        var shown = await manager.RunAsync(carol, "moving");

        (await host.Manager.GetRunAsync(carol, hidden.RunId)).Should().BeNull();
        (await host.Manager.GetRunAsync(carol, shown.RunId)).Should().NotBeNull();
        var carolsPage = await host.Manager.SearchRunsAsync(carol, "moving", new RunQuery());
        carolsPage.Items.Select(r => r.RunId).Should().Equal(shown.RunId);
        carolsPage.TotalCount.Should().Be(1);
        var cancel = () => host.Manager.CancelRunAsync(carol, hidden.RunId);
        (await cancel()).Should().BeNull("a run she may not see is one that does not exist for her");
        (await host.Manager.SearchRunsAsync(Callers.Admin, "moving", new RunQuery())).TotalCount.Should().Be(2);
    }

    [Fact]
    public async Task ARunRefusedWhileAnotherRuns_NamesTheDatasetAndTheDatasetExport()
    {
        await using var host = Host();
        var manager = host.Services.GetRequiredService<IDatasetExportManager>();
        await manager.CreateAsync(Callers.Admin, Export("events"));
        // Another host's run, alive (its lease is fresh).
        await host.Store.SaveRunAsync(new ExportRunRecord
        {
            RunId = "elsewhere",
            DataflowId = "events",
            Kind = ExportFlowKind.DatasetExport,
            Status = ExportRunStatus.Running,
            AudienceIds = ["events"],
            ScheduledTime = ManagementHost.Now,
            CreatedAt = ManagementHost.Now,
            Host = "other-host",
            LeaseExpiresAt = ManagementHost.Now.AddMinutes(5),
        });

        var run = () => manager.StartRunAsync(Callers.Admin, "events");

        (await run.Should().ThrowAsync<ExportRunInProgressException>()).Which.Message
            .Should().Be("A run is already in progress for dataset 'events' of dataset export 'events' (run 'elsewhere').");
    }

    [Fact]
    public async Task AnExportWithARunUnderWay_IsNotDeleted_ButOneWhoseRunsHostDied_Is()
    {
        // The run went on writing files and a manifest for an export that no longer existed.
        await using var host = Host();
        var manager = host.Services.GetRequiredService<IDatasetExportManager>();
        var events = await manager.CreateAsync(Callers.Admin, Export("events"));
        var dataflow = await host.Manager.CreateAsync(Callers.Admin, ManagementHost.Dataflow());
        // Another host's runs: the store gives each a lease, which that host's heartbeat would renew.
        ExportRunRecord Running(string runId, string exportId) => new()
        {
            RunId = runId,
            DataflowId = exportId,
            Status = ExportRunStatus.Running,
            AudienceIds = ["events"],
            ScheduledTime = ManagementHost.Now,
            CreatedAt = ManagementHost.Now,
            Host = "other-host",
        };
        await host.Store.SaveRunAsync(Running("live", "events"));
        await host.Store.SaveRunAsync(Running("flowing", dataflow.Definition.Id));

        var deleteEvents = () => manager.DeleteAsync(Callers.Admin, "events", events.ETag);
        var deleteDataflow = () => host.Manager.DeleteAsync(Callers.Admin, dataflow.Definition.Id, dataflow.ETag);

        (await deleteEvents.Should().ThrowAsync<ExportRunInProgressException>()).Which.Message
            .Should().Be("Dataset export 'events' cannot be deleted while its run 'live' is running: cancel the run or wait for it to end, then try again.");
        (await deleteDataflow.Should().ThrowAsync<ExportRunInProgressException>()).Which.Message.Should().Contain("its run 'flowing' is running");
        (await manager.GetAsync(Callers.Admin, "events")).Should().NotBeNull();
        // Nor may it start over meanwhile: the run would record the old column's position when it ends.
        var byEvent = events.Definition.Clone();
        byEvent.WatermarkColumn = "event";
        var startOver = () => manager.UpdateAsync(Callers.Admin, byEvent, events.ETag);
        (await startOver.Should().ThrowAsync<ExportRunInProgressException>()).Which.Message.Should().StartWith("Dataset export 'events' cannot change its source, dataset, watermark column or mode while its run 'live'");
        var renamed = events.Definition.Clone();
        renamed.Name = "Renamed while it runs";
        events = await manager.UpdateAsync(Callers.Admin, renamed, events.ETag);

        // Their host died: the lease ran out, and the run no longer holds the export.
        host.Clock.Advance(ExportStoreCore.RunLease + TimeSpan.FromSeconds(1));
        await deleteEvents();
        (await manager.GetAsync(Callers.Admin, "events")).Should().BeNull();
    }

    [Fact]
    public async Task RunAsync_IsAFullExportNow_RecordedBesideTheScheduledRuns_AndLeavesTheWatermark()
    {
        await using var host = Host();
        var manager = host.Services.GetRequiredService<IDatasetExportManager>();
        await manager.CreateAsync(Callers.Admin, Export("events"));
        await host.Store.SaveAudienceStateAsync(new AudienceExportState { DataflowId = "events", AudienceId = "events", DatasetWatermark = DatasetWatermark.FromInt64(2) });

        var run = await manager.RunAsync(Callers.Admin, "events");

        run.Kind.Should().Be(ExportFlowKind.DatasetExport);
        run.Trigger.Should().Be(ExportRunTrigger.OnDemand);
        run.RequestedBy.Should().Be("ada");
        run.RowsExported.Should().Be(3, "run now exports the whole dataset");
        run.Entries.Single().Files.Single().Path.Should().StartWith($"events/exportTime={ManagementHost.Now:yyyyMMddHHmm}/events-{run.RunId}.csv");
        (await host.Manager.GetRunAsync(Callers.Admin, run.RunId))!.Status.Should().Be(ExportRunStatus.Succeeded);
        (await manager.GetAsync(Callers.Admin, "events"))!.Watermark.Should().Be(DatasetWatermark.FromInt64(2), "the schedule's watermark is left alone");
    }

    [Fact]
    public async Task ConfiguredDatasetExport_IsListedReadOnly_AndItsIdCannotBeTaken()
    {
        await using var host = Host(configure: b => b.Services.Configure<ExportsOptions>(o => o.DatasetExports["declared"] = Export("declared")));
        var manager = host.Services.GetRequiredService<IDatasetExportManager>();

        var declared = await manager.GetAsync(Callers.Admin, "declared");
        declared!.IsReadOnly.Should().BeTrue();
        declared.Permissions.Should().Be(DataflowPermissions.View | DataflowPermissions.Run);
        var edit = () => manager.SetScheduleEnabledAsync(Callers.Admin, "declared", false, declared.ETag);
        (await edit.Should().ThrowAsync<ExportValidationException>()).Which.Message.Should().Contain("declared in configuration");
        var take = () => manager.CreateAsync(Callers.Admin, Export("declared"));
        await take.Should().ThrowAsync<ExportConcurrencyException>();
        var dataflowNamedLikeIt = ManagementHost.Dataflow();
        dataflowNamedLikeIt.Id = "declared";
        var takeAsDataflow = () => host.Manager.CreateAsync(Callers.Admin, dataflowNamedLikeIt);
        (await takeAsDataflow.Should().ThrowAsync<ExportConcurrencyException>("a dataflow of that id would take its runs' permission checks"))
            .Which.Message.Should().Contain("'declared' is declared in configuration");
        await host.Manager.CreateAsync(Callers.Admin, ManagementHost.Dataflow());
        var dataflowId = (await host.Manager.ListAsync(Callers.Admin)).Single(d => !d.IsReadOnly).Definition.Id;
        var clash = () => manager.CreateAsync(Callers.Admin, Export(dataflowId));
        await clash.Should().ThrowAsync<ExportConcurrencyException>("runs and state are kept by export id");
    }

    [Fact]
    public async Task ADestinationUsedByADatasetExport_CannotBeDeleted_NamingTheExport()
    {
        await using var host = Host();
        var destinations = host.Services.GetRequiredService<IDestinationManager>();
        var drop = await destinations.CreateAsync(Callers.Admin, new DestinationDefinition { Name = "runtime-drop", Type = "memory" });
        var export = Export("events");
        export.Destination = "runtime-drop";
        var created = await host.Services.GetRequiredService<IDatasetExportManager>().CreateAsync(Callers.Admin, export);

        var delete = () => destinations.DeleteAsync(Callers.Admin, "runtime-drop", drop.ETag);

        (await delete.Should().ThrowAsync<ExportValidationException>()).Which.Message.Should().Contain("'events' uses it");
        await host.Services.GetRequiredService<IDatasetExportManager>().DeleteAsync(Callers.Admin, "events", created.ETag);
        await delete();
        (await destinations.GetAsync(Callers.Admin, "runtime-drop")).Should().BeNull();
    }

    [Fact]
    public async Task ListDatasets_OffersTheSourcesDatasetsWithTheirSchema()
    {
        await using var host = Host();
        var manager = host.Services.GetRequiredService<IDatasetExportManager>();

        (await manager.ListSourcesAsync(Callers.Viewer)).Should().Equal(["events-source"]);
        var datasets = await manager.ListDatasetsAsync(Callers.Viewer, "events-source", "EVE");
        datasets.Should().ContainSingle().Which.Schema.Should().Equal(EventSchema);
        (await manager.ListDatasetsAsync(Callers.Viewer, "nope")).Should().BeNull();
        var nobody = () => manager.ListDatasetsAsync(Callers.Nobody, "events-source");
        await nobody.Should().ThrowAsync<ExportAccessDeniedException>();
    }

    [Fact]
    public async Task AStoredWatermark_IsDropped_WhenTheExportReadsAnotherColumn_OrIsCreatedAgainUnderItsId()
    {
        var schema = new ExportSchema([new ExportColumn("seq", ExportColumnType.Int64), new ExportColumn("day", ExportColumnType.Date)]);
        await using var host = Host(configure: b => b.AddDatasetSource("days-source", new InMemoryDatasetSource()
            .AddDataset("days", schema, [[1L, new DateOnly(2026, 6, 1)], [2L, new DateOnly(2026, 6, 2)], [3L, new DateOnly(2026, 6, 3)]])));
        var manager = host.Services.GetRequiredService<IDatasetExportManager>();
        var slots = host.Services.GetRequiredService<IExportSlotRunner>();
        var slot = new DateTimeOffset(2026, 6, 15, 6, 0, 0, TimeSpan.Zero);
        var export = Export("days");
        export.Source = "days-source";
        export.DatasetId = "days";
        var created = await manager.CreateAsync(Callers.Admin, export);
        (await slots.RunSlotAsync(ScheduledEntry.For(created.Definition), slot)).RowsExported.Should().Be(3);
        (await manager.GetAsync(Callers.Admin, "days"))!.Watermark.Should().Be(DatasetWatermark.FromInt64(3));

        // A change that keeps the column keeps the watermark.
        var renamed = created.Definition.Clone();
        renamed.Name = "Days";
        var kept = await manager.UpdateAsync(Callers.Admin, renamed, created.ETag);
        kept.Watermark.Should().Be(DatasetWatermark.FromInt64(3));

        // Another column, of another type: seq's position used to fail every run from then on.
        var byDay = kept.Definition.Clone();
        byDay.WatermarkColumn = "day";
        var moved = await manager.UpdateAsync(Callers.Admin, byDay, kept.ETag);
        moved.Watermark.Should().BeNull();
        var full = await slots.RunSlotAsync(ScheduledEntry.For(moved.Definition), slot.AddHours(9));
        full.Status.Should().Be(ExportRunStatus.Succeeded, string.Join("; ", full.Errors));
        full.RowsExported.Should().Be(3, "the first run by the new column is a full read");
        (await slots.RunSlotAsync(ScheduledEntry.For(moved.Definition), slot.AddHours(18))).RowsExported.Should().Be(0);

        // Deleted and created again under its id: a new export, whose first run is full (it continued silently before).
        await manager.DeleteAsync(Callers.Admin, "days", moved.ETag);
        var again = await manager.CreateAsync(Callers.Admin, byDay);
        again.Watermark.Should().BeNull();
        (await slots.RunSlotAsync(ScheduledEntry.For(again.Definition), slot.AddHours(27))).RowsExported.Should().Be(3);
    }

    private static ManagementHost Host(string? store = null, Action<IExportsBuilder>? configure = null) => new(store, configure: b =>
    {
        b.AddDatasetSource("events-source", new InMemoryDatasetSource().AddDataset("events", EventSchema, [[1L, "signup"], [2L, "login"], [3L, "order"]]));
        configure?.Invoke(b);
    });

    private static DatasetExportDefinition Export(string id) => new()
    {
        Id = id,
        Name = "Raw events",
        Source = "events-source",
        DatasetId = "events",
        Destination = "crm-drop",
        Mode = ExportMode.FirstFullThenIncremental,
        WatermarkColumn = "seq",
        Schedule = new ExportSchedule { Frequency = ScheduleFrequency.Every9Hours, StartDate = new DateOnly(2026, 6, 15), StartTime = "06:00" },
    };
}
