using Exports.Sdk.Tests.Fixtures;

namespace Exports.Sdk.Tests.Dataflows;

public class DataflowValidatorTests
{
    public static TheoryData<string, Action<DataflowDefinition>, string> InvalidCombinations => new()
    {
        { "missing %DESTINATION_NAME%", d => d.Audiences[0].FileNameTemplate = "%SEGMENT_ID%_%TIMESTAMP%", "FileNameTemplate: The file name template '%SEGMENT_ID%_%TIMESTAMP%' must contain %DESTINATION_NAME%" },
        { "missing %SEGMENT_ID%", d => d.Audiences[0].FileNameTemplate = "%DESTINATION_NAME%", "must contain %SEGMENT_ID%" },
        { "weekly incremental", d => { d.Audiences[0].Mode = ExportMode.FirstFullThenIncremental; d.Audiences[0].Schedule!.Frequency = ScheduleFrequency.Weekly; }, "Schedule.Frequency 'Weekly' is not allowed with Mode 'FirstFullThenIncremental'" },
        { "every 3 hours full", d => d.Audiences[0].Schedule!.Frequency = ScheduleFrequency.Every3Hours, "Schedule.Frequency 'Every3Hours' is not allowed with Mode 'DailyFullExport'" },
        { "end date on once", d => { d.Audiences[0].Schedule!.Frequency = ScheduleFrequency.Once; d.Audiences[0].Schedule!.EndDate = new DateOnly(2026, 7, 1); }, "Schedule.EndDate '2026-07-01' does not apply to the frequency Once" },
        { "end before start", d => d.Audiences[0].Schedule!.EndDate = new DateOnly(2026, 5, 1), "Schedule.EndDate '2026-05-01' must be after Schedule.StartDate '2026-06-01'" },
        { "end equals start", d => d.Audiences[0].Schedule!.EndDate = new DateOnly(2026, 6, 1), "Schedule.EndDate '2026-06-01' must be after" },
        { "start time 25:00", d => d.Audiences[0].Schedule!.StartTime = "25:00", "Schedule.StartTime '25:00' is not a UTC time of day" },
        { "start time 7:30", d => d.Audiences[0].Schedule!.StartTime = "7:30", "Schedule.StartTime '7:30'" },
        { "start time noon", d => d.Audiences[0].Schedule!.StartTime = "noon", "Schedule.StartTime 'noon'" },
        { "no start date", d => d.Audiences[0].Schedule!.StartDate = default, "Schedule.StartDate is required" },
        { "mixed dedup kinds", d => { d.IdentityNamespaces = ["crmId"]; d.Deduplication = new DeduplicationKey { IdentityNamespace = "crmId", Attributes = ["person.email"] }; }, "Deduplication mixes the identity namespace 'crmId' with attributes (person.email)" },
        { "three dedup attributes", d => { d.Attributes.Add("a.b"); d.Deduplication = new DeduplicationKey { Attributes = ["person.email", "person.name.firstName", "a.b"] }; }, "Deduplication.Attributes has 3 attributes; at most two" },
        { "dedup attribute not selected", d => d.Deduplication = new DeduplicationKey { Attributes = ["person.phone"] }, "Deduplication.Attributes names 'person.phone', which is not a selected attribute" },
        { "dedup namespace not selected", d => d.Deduplication = new DeduplicationKey { IdentityNamespace = "email" }, "Deduplication.IdentityNamespace 'email' is not among IdentityNamespaces" },
        { "empty dedup key", d => d.Deduplication = new DeduplicationKey(), "Deduplication needs an IdentityNamespace or one or two Attributes" },
        { "mandatory not selected", d => d.MandatoryAttributes = ["person.phone"], "MandatoryAttributes names 'person.phone'" },
        { "no attributes", d => d.Attributes = [], "Attributes must name at least one profile attribute" },
        { "identity column as an attribute", d => d.Attributes.Add("identityMap.email"), "Attributes names 'identityMap.email', an identity column; list the namespace 'email' in IdentityNamespaces" },
        { "identity column as an attribute, other case", d => d.Attributes.Add("IdentityMap.Email"), "Attributes names 'IdentityMap.Email', an identity column" },
        { "duplicate audience", d => d.Audiences.Add(d.Audiences[0].Clone()), "Audiences lists 'vip' more than once" },
        { "audience id of spaces", d => d.Audiences[0].AudienceId = "   ", "an audience has no AudienceId" },
        { "no source", d => d.Source = "", "Source is required" },
        { "unknown source", d => d.Source = "nope", "Source 'nope' is not a registered audience source" },
        { "unknown destination", d => d.Destination = "nowhere", "Destination 'nowhere' is not a configured destination" },
    };

    [Theory]
    [MemberData(nameof(InvalidCombinations))]
    public async Task CreateAsync_InvalidCombination_IsRejectedNamingTheField(string because, Action<DataflowDefinition> breakIt, string expected)
    {
        await using var host = new ManagementHost();
        var dataflow = ManagementHost.Dataflow("Broken", "crm-drop", "vip");
        breakIt(dataflow);

        var act = () => host.Manager.CreateAsync(Callers.Admin, dataflow);

        var error = (await act.Should().ThrowAsync<ExportValidationException>(because)).Which;
        error.Errors.Should().Contain(e => e.Contains(expected, StringComparison.Ordinal), because);
        (await host.Manager.ListAsync(Callers.Admin)).Should().BeEmpty("nothing is stored when validation fails");
    }

    [Fact]
    public async Task CreateAsync_SeveralProblems_ReportsEveryOneInOneError()
    {
        await using var host = new ManagementHost();
        var dataflow = ManagementHost.Dataflow("Broken", "crm-drop", "vip");
        dataflow.Audiences[0].FileNameTemplate = "%SEGMENT_ID%";
        dataflow.Audiences[0].Schedule!.StartTime = "99:99";
        dataflow.MandatoryAttributes = ["x.y"];

        var error = (await FluentActions.Awaiting(() => host.Manager.CreateAsync(Callers.Admin, dataflow))
            .Should().ThrowAsync<ExportValidationException>()).Which;

        error.Errors.Should().HaveCount(3);
        error.Message.Should().Contain("%DESTINATION_NAME%").And.Contain("99:99").And.Contain("x.y");
    }

    [Fact]
    public async Task ExportNowAsync_81Audiences_IsRejected()
    {
        await using var host = new ManagementHost();
        var created = await host.Manager.CreateAsync(Callers.Admin, ManagementHost.Dataflow());

        var act = () => host.Manager.ExportNowAsync(Callers.Admin, created.Definition.Id, [.. Enumerable.Range(0, 81).Select(i => $"a{i}")]);

        (await act.Should().ThrowAsync<ExportValidationException>()).Which.Message.Should().Contain("81 audiences; at most 80");
        (await host.Manager.ListRunsAsync(Callers.Admin, created.Definition.Id)).Should().BeEmpty();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CreateAsync_ValidDataflow_RoundTripsThroughTheStoreUnchanged(bool fileStore)
    {
        using var folder = new TempFolder();
        await using var host = new ManagementHost(fileStore ? folder.Root : null);
        var dataflow = ManagementHost.Dataflow("Round trip", "crm-drop", "vip", "churn");
        dataflow.Id = "round-trip";
        dataflow.Description = "Every field set";
        dataflow.IdentityNamespaces = ["crmId"];
        dataflow.MandatoryAttributes = ["person.email", "identityMap.crmId"];
        dataflow.Deduplication = new DeduplicationKey { Attributes = ["person.email", "person.name.firstName"] };
        dataflow.IncludeMembershipStatus = true;
        dataflow.OrganizationName = "Acme";
        dataflow.SandboxName = "prod";
        dataflow.ScheduleEnabled = false;
        dataflow.Audiences[1].Mode = ExportMode.FirstFullThenIncremental;
        dataflow.Audiences[1].Schedule = new ExportSchedule
        {
            Frequency = ScheduleFrequency.Every6Hours,
            StartDate = new DateOnly(2026, 6, 2),
            EndDate = new DateOnly(2026, 12, 31),
            StartTime = "23:45",
            Trigger = ScheduleTrigger.AfterSegmentEvaluation,
        };

        await host.Manager.CreateAsync(Callers.Admin, dataflow);
        var read = await host.Manager.GetAsync(Callers.Admin, "round-trip");

        read!.Definition.Should().BeEquivalentTo(dataflow);
        read.ETag.Should().NotBeNullOrEmpty();
    }
}
