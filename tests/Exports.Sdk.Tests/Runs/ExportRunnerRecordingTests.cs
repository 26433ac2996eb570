using Exports.Sdk.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace Exports.Sdk.Tests.Runs;

/// <summary>
/// One run path: a run started from code through <see cref="IExportRunner"/> is claimed and recorded in the store like
/// one started through the management API, and appears in the same history.
/// </summary>
public sealed class ExportRunnerRecordingTests
{
    [Fact]
    public async Task RunAsync_FromCode_IsRecordedInTheDataflowsHistoryBesideManagementRuns()
    {
        await using var host = new ManagementHost();
        var created = await host.Manager.CreateAsync(Callers.Admin, ManagementHost.Dataflow());
        var runner = host.Services.GetRequiredService<IExportRunner>();

        var fromCode = await runner.RunAsync(created.Definition, new ExportRunRequest { AudienceIds = ["vip"] });
        host.Clock.Advance(TimeSpan.FromMinutes(1));
        var fromManager = await host.Manager.ExportNowAsync(Callers.Admin, created.Definition.Id, ["churn"]);

        var history = await host.Manager.ListRunsAsync(Callers.Admin, created.Definition.Id);
        history.Select(r => r.RunId).Should().BeEquivalentTo([fromCode.RunId, fromManager.RunId]);
        var recorded = history.Single(r => r.RunId == fromCode.RunId);
        recorded.Status.Should().Be(ExportRunStatus.Succeeded);
        recorded.Trigger.Should().Be(ExportRunTrigger.OnDemand);
        recorded.AudienceIds.Should().Equal("vip");
        recorded.RowsExported.Should().Be(5).And.Be(fromCode.RowsExported);
        recorded.Entries.Should().ContainSingle().Which.Files.Should().Equal(fromCode.Files);
        recorded.ManifestPath.Should().Be(fromCode.ManifestPath).And.NotBeNull();
    }

    [Fact]
    public async Task RunAsync_NoAudienceIds_ClaimsEveryAudienceOfTheDataflow()
    {
        await using var host = new ManagementHost();
        var created = await host.Manager.CreateAsync(Callers.Admin, ManagementHost.Dataflow());

        var result = await host.Services.GetRequiredService<IExportRunner>().RunAsync(created.Definition, new ExportRunRequest());

        var recorded = await host.Store.GetRunAsync(created.Definition.Id, result.RunId);
        recorded!.AudienceIds.Should().BeEquivalentTo(created.Definition.Audiences.Select(a => a.AudienceId));
        recorded.Entries.Select(e => e.SourceId).Should().Equal(result.Entries.Select(e => e.SourceId));
    }

    [Fact]
    public async Task RunAsync_AudienceBeingExportedByTheManager_IsRefusedNamingTheRunAndRecordsNothing()
    {
        var gated = new GatedAudienceSource(ManagementHost.DefaultSource());
        await using var host = new ManagementHost(source: gated);
        var created = await host.Manager.CreateAsync(Callers.Admin, ManagementHost.Dataflow());
        var running = host.Manager.ExportNowAsync(Callers.Admin, created.Definition.Id, ["vip"]);
        await gated.Entered.WaitAsync(TimeSpan.FromSeconds(30));
        var runId = (await host.Manager.ListRunsAsync(Callers.Admin, created.Definition.Id)).Single().RunId;

        var fromCode = () => host.Services.GetRequiredService<IExportRunner>().RunAsync(created.Definition, new ExportRunRequest { AudienceIds = ["vip"] });

        (await fromCode.Should().ThrowAsync<ExportRunInProgressException>()).Which.Conflicts.Should().Equal(new RunConflict("vip", runId));
        gated.Open();
        (await running).Status.Should().Be(ExportRunStatus.Succeeded);
        (await host.Manager.ListRunsAsync(Callers.Admin, created.Definition.Id)).Should().ContainSingle();
    }

    [Fact]
    public async Task RunAsync_UnknownAudience_ThrowsAndRecordsTheRunAsFailedWithTheReason()
    {
        await using var host = new ManagementHost();
        var created = await host.Manager.CreateAsync(Callers.Admin, ManagementHost.Dataflow());

        var run = () => host.Services.GetRequiredService<IExportRunner>().RunAsync(created.Definition, new ExportRunRequest { AudienceIds = ["nope"] });

        var error = (await run.Should().ThrowAsync<ExportValidationException>()).Which.Message;
        var recorded = (await host.Manager.ListRunsAsync(Callers.Admin, created.Definition.Id)).Should().ContainSingle().Subject;
        recorded.Status.Should().Be(ExportRunStatus.Failed);
        recorded.Errors.Should().ContainSingle().Which.Should().Be(error).And.Contain("Audience 'nope'");
        recorded.IsActive.Should().BeFalse("the claim is released");
    }
}
