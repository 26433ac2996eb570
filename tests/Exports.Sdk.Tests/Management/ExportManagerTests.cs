using Microsoft.Extensions.DependencyInjection;
using System.Text;
using Exports.Sdk.Tests.Fixtures;
using Microsoft.VisualBasic.FileIO;

namespace Exports.Sdk.Tests.Management;

public class ExportManagerTests
{
    [Fact]
    public async Task IncrementalAudiences_StartWithAFullRun_WhenTheirDataflowIsNew_TheyAreAdded_SwitchedToIncremental_OrReadFromAnotherSource()
    {
        await using var host = new ManagementHost(configure: b => b.AddAudienceSource("second", new InMemoryAudienceSource()
            .AddAudience(new AudienceInfo("vip", "VIP"), []).AddAudience(new AudienceInfo("churn", "Churn"), [])));
        var watermark = new DateTimeOffset(2026, 6, 14, 0, 0, 0, TimeSpan.Zero);
        async Task LeaveAsync(string audience) => await host.Store.SaveAudienceStateAsync(
            new AudienceExportState { DataflowId = "crm", AudienceId = audience, Watermark = watermark, RecentChanges = "AAAA", LastEvaluatedAt = watermark });
        async Task<DateTimeOffset?> WatermarkAsync(string audience) => (await host.Store.GetAudienceStateAsync("crm", audience))?.Watermark;
        var dataflow = ManagementHost.Dataflow(audiences: ["vip", "churn"]);
        dataflow.Id = "crm";
        foreach (var audience in dataflow.Audiences)
        {
            audience.Mode = ExportMode.FirstFullThenIncremental;
            audience.Schedule!.Frequency = ScheduleFrequency.Every3Hours;
        }

        // What a deleted dataflow of that id left: its first run used to continue from there, with no full file.
        await LeaveAsync("vip");
        var created = await host.Manager.CreateAsync(Callers.Admin, dataflow);
        (await WatermarkAsync("vip")).Should().BeNull();
        (await host.Store.GetAudienceStateAsync("crm", "vip"))!.LastEvaluatedAt.Should().Be(watermark, "only the incremental position starts over");

        // An edit that keeps source, audiences and modes keeps their positions.
        await LeaveAsync("vip");
        await LeaveAsync("churn");
        var edited = created.Definition.Clone();
        edited.Description = "edited";
        var updated = await host.Manager.UpdateAsync(Callers.Admin, edited, created.ETag);
        (await WatermarkAsync("vip")).Should().Be(watermark);

        // An audience added (with what an earlier activation left) and one switched from full to incremental start over.
        edited = updated.Definition.Clone();
        edited.Audiences[1].Mode = ExportMode.DailyFullExport;
        edited.Audiences[1].Schedule!.Frequency = ScheduleFrequency.Daily;
        edited.Audiences.RemoveAt(0);
        updated = await host.Manager.UpdateAsync(Callers.Admin, edited, updated.ETag);
        await LeaveAsync("churn");
        edited = updated.Definition.Clone();
        edited.Audiences[0].Mode = ExportMode.FirstFullThenIncremental;
        edited.Audiences[0].Schedule!.Frequency = ScheduleFrequency.Every3Hours;
        edited.Audiences.Add(dataflow.Audiences[0]);
        await host.Manager.UpdateAsync(Callers.Admin, edited, updated.ETag);
        (await WatermarkAsync("vip")).Should().BeNull("vip was added again");
        (await WatermarkAsync("churn")).Should().BeNull("churn was switched to incremental");

        // Another source: every audience's position is one in other data.
        await LeaveAsync("vip");
        await LeaveAsync("churn");
        var current = (await host.Manager.GetAsync(Callers.Admin, "crm"))!;
        edited = current.Definition.Clone();
        edited.Source = "second";
        await host.Manager.UpdateAsync(Callers.Admin, edited, current.ETag);
        (await WatermarkAsync("vip")).Should().BeNull("the source changed");
        (await WatermarkAsync("churn")).Should().BeNull("the source changed");
    }

    [Fact]
    public async Task FileStore_DataflowCreatedEditedAndRun_IsFoundByASecondProviderOverTheSameFolder()
    {
        using var folder = new TempFolder();
        string id;
        string etag;
        await using (var first = new ManagementHost(folder.Root))
        {
            var created = await first.Manager.CreateAsync(Callers.Admin, ManagementHost.Dataflow());
            var edited = created.Definition;
            edited.Description = "edited";
            var updated = await first.Manager.UpdateAsync(Callers.Admin, edited, created.ETag);
            var run = await first.Manager.ExportNowAsync(Callers.Admin, edited.Id, ["vip"]);
            run.Status.Should().Be(ExportRunStatus.Succeeded, string.Join(";", run.Errors));
            id = edited.Id;
            etag = updated.ETag;
        }

        await using var second = new ManagementHost(folder.Root);
        var found = await second.Manager.GetAsync(Callers.Admin, id);
        var runs = await second.Manager.ListRunsAsync(Callers.Admin, id);

        found!.ETag.Should().Be(etag);
        found.Definition.Description.Should().Be("edited");
        runs.Should().ContainSingle().Which.Should().Match<ExportRunRecord>(r =>
            r.Status == ExportRunStatus.Succeeded && r.AudienceIds.Single() == "vip" && r.RowsExported == 5 && r.Entries[0].Files.Count == 1);
        runs[0].Host.Should().Be($"{Environment.MachineName}/{Environment.ProcessId}", "the run history says which host ran it");
    }

    [Fact]
    public async Task UpdateAsync_TwoUpdatesWithTheSameETag_ExactlyOneWins()
    {
        await using var host = new ManagementHost();
        var created = await host.Manager.CreateAsync(Callers.Admin, ManagementHost.Dataflow());
        var a = created.Definition.Clone();
        a.Description = "A";
        var b = created.Definition.Clone();
        b.Description = "B";

        var outcomes = await Task.WhenAll(new[] { a, b }.Select(d => Task.Run(async () =>
        {
            try
            {
                return (await host.Manager.UpdateAsync(Callers.Admin, d, created.ETag)).Definition.Description;
            }
            catch (ExportConcurrencyException)
            {
                return null;
            }
        })));

        var winner = outcomes.Should().ContainSingle(o => o != null).Which;
        (await host.Manager.GetAsync(Callers.Admin, created.Definition.Id))!.Definition.Description.Should().Be(winner);
    }

    [Fact]
    public async Task ExportNowAsync_TwoConcurrentCallsForOneAudience_OneRunsTheOtherIsRefusedWithTheRunId()
    {
        var gated = new GatedAudienceSource(ManagementHost.DefaultSource());
        await using var host = new ManagementHost(source: gated);
        var created = await host.Manager.CreateAsync(Callers.Admin, ManagementHost.Dataflow());
        var id = created.Definition.Id;

        var first = host.Manager.ExportNowAsync(Callers.Admin, id, ["vip"]);
        await gated.Entered.WaitAsync(TimeSpan.FromSeconds(30));
        var running = (await host.Manager.ListRunsAsync(Callers.Admin, id)).Single();
        var second = () => host.Manager.ExportNowAsync(Callers.Admin, id, ["churn", "vip"]);

        var refused = (await second.Should().ThrowAsync<ExportRunInProgressException>()).Which;
        gated.Open();
        var done = await first;

        refused.Message.Should().Contain("audience 'vip'").And.Contain($"dataflow '{id}'").And.Contain($"run '{running.RunId}'");
        refused.Conflicts.Should().Equal(new RunConflict("vip", running.RunId));
        done.RunId.Should().Be(running.RunId);
        done.Status.Should().Be(ExportRunStatus.Succeeded);
        (await host.Manager.ListRunsAsync(Callers.Admin, id)).Should().ContainSingle("the refused request recorded nothing");
    }

    [Fact]
    public async Task RunAllAsync_SkipsDataflowsWhoseScheduleIsOff_ButRunAsyncRunsThem()
    {
        await using var host = new ManagementHost();
        var on = await host.Manager.CreateAsync(Callers.Admin, ManagementHost.Dataflow("On"));
        var off = await host.Manager.CreateAsync(Callers.Admin, ManagementHost.Dataflow("Off"));
        await host.Manager.SetScheduleEnabledAsync(Callers.Admin, off.Definition.Id, false, off.ETag);

        var all = await host.Manager.RunAllAsync(Callers.Admin);
        var single = await host.Manager.RunAsync(Callers.Admin, off.Definition.Id);

        all.Should().ContainSingle().Which.DataflowId.Should().Be(on.Definition.Id);
        all[0].Trigger.Should().Be(ExportRunTrigger.RunAll);
        single.DataflowId.Should().Be(off.Definition.Id);
        single.Status.Should().Be(ExportRunStatus.Succeeded);
        single.AudienceIds.Should().Equal("vip", "churn");
        all[0].Entries.Concat(single.Entries).SelectMany(a => a.Files).Should().HaveCount(4).And.OnlyContain(f => f.Rows == 5);
        host.Destinations.Get("crm-drop").Files.Keys.Should().Contain(single.Entries.SelectMany(a => a.Files).Select(f => f.Path));
    }

    [Fact]
    public async Task StartRunAllAsync_RunsOnlyAudiencesWhoseScheduleIncludesNow_AndSkipsADataflowWithNone()
    {
        // "Run all" used to run every audience of a dataflow with any schedule: ended, not yet begun, or none at all.
        await using var host = new ManagementHost();
        var partly = ManagementHost.Dataflow("Partly");
        partly.Audiences[1].Schedule!.StartDate = new DateOnly(2026, 7, 1);
        var unscheduled = ManagementHost.Dataflow("Unscheduled");
        unscheduled.Audiences[1].Schedule = null;
        var ended = ManagementHost.Dataflow("Ended");
        ended.Audiences.ForEach(a => (a.Schedule!.StartDate, a.Schedule.EndDate) = (new DateOnly(2026, 1, 1), new DateOnly(2026, 2, 1)));
        var partlyId = (await host.Manager.CreateAsync(Callers.Admin, partly)).Definition.Id;
        var unscheduledId = (await host.Manager.CreateAsync(Callers.Admin, unscheduled)).Definition.Id;
        var endedId = (await host.Manager.CreateAsync(Callers.Admin, ended)).Definition.Id;

        var result = await host.Manager.StartRunAllAsync(Callers.Admin);

        result.Started.Should().HaveCount(2);
        result.Started.Single(r => r.DataflowId == partlyId).AudienceIds.Should().Equal("vip");
        result.Started.Single(r => r.DataflowId == unscheduledId).AudienceIds.Should().Equal("vip");
        result.Skipped.Should().ContainSingle().Which.Should().Be(new SkippedDataflow(endedId, "Dataflow 'Ended' was not run: no audience's schedule includes now."));
        foreach (var run in result.Started)
        {
            var record = run;
            for (var wait = 0; record.IsActive && wait < 1500; wait++)
            {
                await Task.Delay(20);
                record = (await host.Manager.GetRunAsync(Callers.Admin, run.RunId))!;
            }

            record.Status.Should().Be(ExportRunStatus.Succeeded);
        }
    }

    [Fact]
    public async Task ExportNowAsync_AudienceNotInDataflowOrOutsideItsWindow_IsRefusedNamingIt()
    {
        await using var host = new ManagementHost();
        var dataflow = ManagementHost.Dataflow();
        dataflow.Audiences[1].Schedule!.StartDate = new DateOnly(2026, 7, 1);
        var created = await host.Manager.CreateAsync(Callers.Admin, dataflow);

        var act = () => host.Manager.ExportNowAsync(Callers.Admin, created.Definition.Id, ["vip", "churn", "ghost"]);

        var error = (await act.Should().ThrowAsync<ExportValidationException>()).Which;
        error.Errors.Should().HaveCount(2);
        error.Message.Should().Contain($"Audience 'ghost' is not part of dataflow '{created.Definition.Id}'")
            .And.Contain("Audience 'churn'").And.Contain("2026-07-01");
        (await host.Manager.ListRunsAsync(Callers.Admin, created.Definition.Id)).Should().BeEmpty();
    }

    [Fact]
    public async Task ExportNowAsync_LeavesTheAudienceStateAndScheduleAlone()
    {
        await using var host = new ManagementHost();
        var created = await host.Manager.CreateAsync(Callers.Admin, ManagementHost.Dataflow());
        var state = new AudienceExportState { DataflowId = created.Definition.Id, AudienceId = "vip", Watermark = ManagementHost.Now.AddDays(-1) };
        await host.Store.SaveAudienceStateAsync(state);

        await host.Manager.ExportNowAsync(Callers.Admin, created.Definition.Id, ["vip"]);

        (await host.Store.GetAudienceStateAsync(created.Definition.Id, "vip")).Should().Be(state);
        (await host.Manager.GetAsync(Callers.Admin, created.Definition.Id))!.ETag.Should().Be(created.ETag);
    }

    [Fact]
    public async Task DuplicateAsync_PrefillsANewDataflowWithNewIdAndName()
    {
        await using var host = new ManagementHost();
        var original = await host.Manager.CreateAsync(Callers.Admin, ManagementHost.Dataflow("Weekly VIP"));

        var copy = await host.Manager.DuplicateAsync(Callers.Admin, original.Definition.Id);

        copy.Definition.Id.Should().NotBe(original.Definition.Id);
        copy.Definition.Name.Should().Be("Weekly VIP (copy)");
        copy.Definition.ScheduleEnabled.Should().BeFalse();
        copy.Definition.Should().BeEquivalentTo(original.Definition, o => o.Excluding(d => d.Id).Excluding(d => d.Name).Excluding(d => d.DisplayName).Excluding(d => d.ScheduleEnabled));
        (await host.Manager.ListAsync(Callers.Admin)).Should().HaveCount(2);
    }

    [Fact]
    public async Task ListAsync_SearchesByNameDestinationNameAndType()
    {
        await using var host = new ManagementHost();
        await host.Manager.CreateAsync(Callers.Admin, ManagementHost.Dataflow("Newsletter FR"));
        await host.Manager.CreateAsync(Callers.Admin, ManagementHost.Dataflow("Ads", "partner-sftp"));

        (await host.Manager.ListAsync(Callers.Admin, "newsletter")).Select(d => d.Definition.Name).Should().Equal("Newsletter FR");
        (await host.Manager.ListAsync(Callers.Admin, "PARTNER")).Select(d => d.Definition.Name).Should().Equal("Ads");
        (await host.Manager.ListAsync(Callers.Admin, "memory")).Should().HaveCount(2, "both destinations are of type 'memory'");
        (await host.Manager.ListAsync(Callers.Admin)).Should().HaveCount(2);
    }

    [Fact]
    public async Task EditSchedulesAsync_KeepOrReplace_AppliesToEveryListedDataflow()
    {
        await using var host = new ManagementHost();
        var a = await host.Manager.CreateAsync(Callers.Admin, ManagementHost.Dataflow("A"));
        var b = await host.Manager.CreateAsync(Callers.Admin, ManagementHost.Dataflow("B"));

        var disabled = await host.Manager.EditSchedulesAsync(Callers.Admin, new BulkScheduleEdit
        {
            DataflowETags = new Dictionary<string, string> { [a.Definition.Id] = a.ETag, [b.Definition.Id] = b.ETag },
            Enable = false,
        });
        var weekly = new ExportSchedule { Frequency = ScheduleFrequency.Weekly, StartDate = new DateOnly(2026, 7, 6), StartTime = "04:00" };
        var replaced = await host.Manager.EditSchedulesAsync(Callers.Admin, new BulkScheduleEdit
        {
            DataflowETags = disabled.ToDictionary(d => d.Definition.Id, d => d.ETag),
            ReplaceSchedule = weekly,
        });

        disabled.Should().OnlyContain(d => !d.Definition.ScheduleEnabled);
        disabled.SelectMany(d => d.Definition.Audiences).Should().OnlyContain(x => x.Schedule!.Frequency == ScheduleFrequency.Daily && x.Schedule.StartTime == "06:30");
        replaced.SelectMany(d => d.Definition.Audiences).Should().HaveCount(4).And.OnlyContain(x => x.Schedule!.Frequency == ScheduleFrequency.Weekly && x.Schedule.StartTime == "04:00");
        replaced.Should().OnlyContain(d => !d.Definition.ScheduleEnabled);
    }

    [Fact]
    public async Task EditSchedulesAsync_OneStaleETag_ChangesNothing()
    {
        await using var host = new ManagementHost();
        var a = await host.Manager.CreateAsync(Callers.Admin, ManagementHost.Dataflow("A"));
        var b = await host.Manager.CreateAsync(Callers.Admin, ManagementHost.Dataflow("B"));

        var act = () => host.Manager.EditSchedulesAsync(Callers.Admin, new BulkScheduleEdit
        {
            DataflowETags = new Dictionary<string, string> { [a.Definition.Id] = a.ETag, [b.Definition.Id] = "stale" },
            Enable = false,
        });

        await act.Should().ThrowAsync<ExportConcurrencyException>();
        (await host.Manager.ListAsync(Callers.Admin)).Should().OnlyContain(d => d.Definition.ScheduleEnabled);
    }

    [Fact]
    public async Task EditSchedulesAsync_ADataflowChangedBetweenTheChecksAndTheWrites_LeavesEveryDataflowAsItWas()
    {
        // Issue 21, item 7: the checks passed, then another user saved B before the writes; A must not be half-applied.
        var inner = new InMemoryExportStore();
        await using var host = new ManagementHost(configure: b => b.Services.AddSingleton(InterleavingStore.Wrap(inner, async store =>
        {
            var b = (await store.GetDataflowAsync("B"))!;
            var renamed = b.Definition.Clone();
            renamed.Name = "renamed by bea";
            await store.UpdateDataflowAsync(renamed, b.ETag);
        })));
        var a = await host.Manager.CreateAsync(Callers.Admin, Named(ManagementHost.Dataflow("A"), "A"));
        var b = await host.Manager.CreateAsync(Callers.Admin, Named(ManagementHost.Dataflow("B"), "B"));

        var act = () => host.Manager.EditSchedulesAsync(Callers.Admin, new BulkScheduleEdit
        {
            DataflowETags = new Dictionary<string, string> { ["A"] = a.ETag, ["B"] = b.ETag },
            Enable = false,
        });

        (await act.Should().ThrowAsync<ExportConcurrencyException>()).Which.Message.Should().Contain("'B'");
        var after = await host.Manager.GetAsync(Callers.Admin, "A");
        after!.ETag.Should().Be(a.ETag, "nothing of the edit was written");
        after.Definition.ScheduleEnabled.Should().BeTrue();
    }

    [Fact]
    public async Task ConfiguredDataflow_IsListedReadOnly_AndCanBeRun()
    {
        await using var host = new ManagementHost(configure: b => b.AddDataflow("from-config", d =>
        {
            var template = ManagementHost.Dataflow("Configured");
            d.Name = template.Name;
            d.Source = template.Source;
            d.Destination = template.Destination;
            d.Attributes = template.Attributes;
            d.Audiences = template.Audiences;
        }));

        var listed = (await host.Manager.ListAsync(Callers.Admin)).Should().ContainSingle().Which;
        var run = await host.Manager.RunAsync(Callers.Admin, "from-config");
        var edit = () => host.Manager.UpdateAsync(Callers.Admin, listed.Definition, listed.ETag);

        listed.IsReadOnly.Should().BeTrue();
        run.Status.Should().Be(ExportRunStatus.Succeeded);
        (await edit.Should().ThrowAsync<ExportValidationException>()).Which.Message.Should().Contain("declared in configuration");
    }

    [Fact]
    public async Task RunAsync_MandatoryDedupAndIdentityRules_FilterRowsAndMetricsAddUp()
    {
        var source = new InMemoryAudienceSource().AddAudience(new AudienceInfo("vip", "VIP"),
        [
            Member("ann@example.com", "Ann", "CRM1", 1),
            Member("ann@example.com", "Ann-newer", "CRM2", 5),
            Member(null, "NoMail", "CRM3", 2),
            Member("", "EmptyMail", "CRM4", 3),
            Member("bob@example.com", "Bob", null, 4),
            Member("cy@example.com", "Cy", "CRM6", 6),
            Member("cy@example.com", "Cy-older", "CRM7", 0),
            Member("dee@example.com", "Dee", "CRM8", 7),
        ]);
        await using var host = new ManagementHost(source: source);
        var dataflow = ManagementHost.Dataflow("Rules", "crm-drop", "vip");
        dataflow.IdentityNamespaces = ["crmId"];
        dataflow.MandatoryAttributes = ["person.email", "identityMap.crmId"];
        dataflow.Deduplication = new DeduplicationKey { Attributes = ["person.email"] };
        dataflow.IncludeMembershipStatus = true;
        var created = await host.Manager.CreateAsync(Callers.Admin, dataflow);

        var run = await host.Manager.RunAsync(Callers.Admin, created.Definition.Id);

        var audience = run.Entries.Single();
        audience.RowsRead.Should().Be(8);
        audience.RowsExported.Should().Be(3);
        audience.RowsSkipped.Should().BeEquivalentTo(new Dictionary<string, long>
        {
            ["missing mandatory attribute 'person.email'"] = 2,
            ["missing mandatory attribute 'identityMap.crmId'"] = 1,
        });
        audience.DuplicatesDropped.Should().Be(2);
        (audience.RowsExported + audience.RowsSkipped.Values.Sum() + audience.DuplicatesDropped).Should().Be(audience.RowsRead);

        var file = host.Destinations.Get("crm-drop").Files[audience.Files.Single().Path];
        var rows = ReadCsv(file);
        rows[0].Should().Equal("person.email", "person.name.firstName", "identityMap.crmId", "segmentMembership.status", "segmentMembership.lastQualificationTime");
        rows.Skip(1).Select(r => (r[0], r[1], r[2], r[3])).Should().Equal(
            ("dee@example.com", "Dee", "CRM8", "realized"),
            ("cy@example.com", "Cy", "CRM6", "realized"),
            ("ann@example.com", "Ann-newer", "CRM2", "realized"));
    }

    private static AudienceMember Member(string? email, string first, string? crmId, int hoursAgo) => new(
        new Dictionary<string, object?> { ["person.email"] = email, ["person.name.firstName"] = first, ["identityMap.crmId"] = crmId },
        MembershipStatus.Realized,
        ManagementHost.Now.AddHours(-24 + hoursAgo));

    private static List<string[]> ReadCsv(byte[] bytes)
    {
        using var parser = new TextFieldParser(new MemoryStream(bytes), Encoding.UTF8) { TextFieldType = FieldType.Delimited, HasFieldsEnclosedInQuotes = true, TrimWhiteSpace = false };
        parser.SetDelimiters(",");
        var rows = new List<string[]>();
        while (!parser.EndOfData)
        {
            rows.Add(parser.ReadFields()!);
        }

        return rows;
    }

    private static DataflowDefinition Named(DataflowDefinition dataflow, string id)
    {
        dataflow.Id = id;
        return dataflow;
    }
}
