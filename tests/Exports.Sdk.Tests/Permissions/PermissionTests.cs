using Microsoft.Extensions.DependencyInjection;
using System.Security.Claims;
using Exports.Sdk.Testing;
using Exports.Sdk.Tests.Fixtures;

namespace Exports.Sdk.Tests.Permissions;

/// <summary>Roles × operations with the default policy; a denied call changes nothing.</summary>
public class PermissionTests
{
    // carol: contributor with Edit on crm-drop; dave: contributor with View on crm-drop; neither has partner-sftp.
    public static TheoryData<string, string, bool> Matrix()
    {
        var data = new TheoryData<string, string, bool>();
        var allowed = new Dictionary<string, string[]>
        {
            ["admin"] = ["list", "get", "create", "update", "duplicate", "delete", "schedule", "exportNow", "run", "runAll", "runs", "createOther", "getOther", "identity", "testDestination"],
            ["carol"] = ["list", "get", "create", "update", "duplicate", "delete", "schedule", "exportNow", "run", "runAll", "runs"],
            // "Run all" runs what the caller may run: for dave, nothing.
            ["dave"] = ["list", "get", "runs", "runAll"],
            ["viewer"] = ["list", "get", "runs", "getOther"],
            ["nobody"] = [],
            ["anonymous"] = [],
        };
        string[] operations = ["list", "get", "create", "update", "duplicate", "delete", "schedule", "exportNow", "run", "runAll", "runs", "createOther", "getOther", "identity", "testDestination"];
        foreach (var (role, ops) in allowed)
        {
            // A contributor's view of another's export: see GetAsync_OfAnExportOnAnUnsharedDestination_IsNull.
            foreach (var operation in operations.Where(o => o != "getOther" || role is not ("carol" or "dave")))
            {
                data.Add(role, operation, ops.Contains(operation));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Operation_ByRole_IsAllowedOrDeniedWithoutChanges(string role, string operation, bool allowed)
    {
        await using var host = new ManagementHost();
        var mine = await host.Manager.CreateAsync(Callers.Admin, ManagementHost.Dataflow("Mine"));
        var other = await host.Manager.CreateAsync(Callers.Admin, ManagementHost.Dataflow("Other", "partner-sftp"));
        var before = await SnapshotAsync(host);
        var caller = Caller(role);
        var manager = host.Manager;
        var id = mine.Definition.Id;

        Func<Task> act = operation switch
        {
            "list" => async () => (await manager.ListAsync(caller)).Should().NotBeEmpty(),
            "get" => async () => (await manager.GetAsync(caller, id)).Should().NotBeNull(),
            "getOther" => async () => (await manager.GetAsync(caller, other.Definition.Id)).Should().NotBeNull(),
            "create" => () => manager.CreateAsync(caller, ManagementHost.Dataflow("New")),
            "createOther" => () => manager.CreateAsync(caller, ManagementHost.Dataflow("New", "partner-sftp")),
            "identity" => () => manager.CreateAsync(caller, WithIdentity(ManagementHost.Dataflow("Ids"))),
            "update" => () => manager.UpdateAsync(caller, Renamed(mine.Definition), mine.ETag),
            "duplicate" => () => manager.DuplicateAsync(caller, id),
            "delete" => () => manager.DeleteAsync(caller, id, mine.ETag),
            "schedule" => () => manager.SetScheduleEnabledAsync(caller, id, false, mine.ETag),
            "exportNow" => () => manager.ExportNowAsync(caller, id, ["vip"]),
            "run" => () => manager.RunAsync(caller, id),
            "runAll" => async () => (await manager.RunAllAsync(caller)).Select(r => r.DataflowId).Should().NotContain(role == "carol" || role == "dave" ? other.Definition.Id : "-")
                .And.HaveCount(role switch { "admin" => 2, "carol" => 1, _ => 0 }),
            "runs" => () => manager.ListRunsAsync(caller, id),
            "testDestination" => async () => (await manager.TestDestinationAsync(caller, "crm-drop")).Succeeded.Should().BeTrue(),
            _ => throw new ArgumentOutOfRangeException(nameof(operation)),
        };

        if (allowed)
        {
            await act.Should().NotThrowAsync();
        }
        else
        {
            var denied = (await act.Should().ThrowAsync<ExportAccessDeniedException>()).Which;
            denied.Message.Should().StartWith("Access denied: '").And.Contain("permission");
            denied.Permission.Should().NotBeNull();
            (await SnapshotAsync(host)).Should().Equal(before, "a denied call changes nothing");
            host.Destinations.Get("crm-drop").Files.Should().BeEmpty();
        }
    }

    [Theory]
    [InlineData("carol")]
    [InlineData("dave")]
    public async Task GetAsync_OfAnExportOnAnUnsharedDestination_IsNull_AndEveryOperationOnItIsNotFound(string contributor)
    {
        // Answered as an unknown export rather than a 403 naming its destination, so neither can be probed.
        await using var host = new ManagementHost();
        var other = await host.Manager.CreateAsync(Callers.Admin, ManagementHost.Dataflow("Other", "partner-sftp"));
        var before = await SnapshotAsync(host);
        var caller = Callers.Contributor(contributor);
        var id = other.Definition.Id;

        (await host.Manager.GetAsync(caller, id)).Should().BeNull();
        foreach (var act in new Func<Task>[]
        {
            () => host.Manager.RunAsync(caller, id),
            () => host.Manager.ExportNowAsync(caller, id, ["vip"]),
            () => host.Manager.DuplicateAsync(caller, id),
            () => host.Manager.DeleteAsync(caller, id, other.ETag),
            () => host.Manager.SetScheduleEnabledAsync(caller, id, false, other.ETag),
            () => host.Manager.SearchRunsAsync(caller, id, new RunQuery()),
        })
        {
            (await act.Should().ThrowAsync<ExportNotFoundException>()).Which.Message.Should().NotContain("partner-sftp");
        }

        (await SnapshotAsync(host)).Should().Equal(before, "nothing changed");
    }

    [Fact]
    public async Task ACallerWhoMayViewNothing_IsRefused_WhetherOrNotTheExportOrRunExists()
    {
        // Refused before the lookup, so the answer does not tell which ids exist.
        await using var host = new ManagementHost();
        var existing = await host.Manager.CreateAsync(Callers.Admin, ManagementHost.Dataflow("Existing"));
        foreach (var id in new[] { existing.Definition.Id, "no-such-export" })
        {
            var get = () => host.Manager.GetAsync(Callers.Nobody, id);
            var runs = () => host.Manager.SearchRunsAsync(Callers.Nobody, id, new RunQuery());
            var run = () => host.Manager.RunAsync(Callers.Nobody, id);
            await get.Should().ThrowAsync<ExportAccessDeniedException>(id);
            await runs.Should().ThrowAsync<ExportAccessDeniedException>(id);
            await run.Should().ThrowAsync<ExportAccessDeniedException>(id);
        }

        var read = () => host.Manager.GetRunAsync(Callers.Nobody, "no-such-run");
        var cancel = () => host.Manager.CancelRunAsync(Callers.Nobody, "no-such-run");
        await read.Should().ThrowAsync<ExportAccessDeniedException>();
        await cancel.Should().ThrowAsync<ExportAccessDeniedException>();
    }

    [Fact]
    public async Task ListAsync_Contributor_SeesOnlyDataflowsOnDestinationsSharedWithThem()
    {
        await using var host = new ManagementHost();
        await host.Manager.CreateAsync(Callers.Admin, ManagementHost.Dataflow("Shared"));
        await host.Manager.CreateAsync(Callers.Admin, ManagementHost.Dataflow("Private", "partner-sftp"));

        (await host.Manager.ListAsync(Callers.Contributor("carol"))).Select(d => d.Definition.Name).Should().Equal("Shared");
        (await host.Manager.ListAsync(Callers.Admin)).Should().HaveCount(2);
    }

    [Fact]
    public async Task AnUnknownDestination_IsRefusedToAContributor_AsAnUnsharedOneIs_SoNamesCannotBeProbed()
    {
        await using var host = new ManagementHost();
        var carol = Callers.Contributor("carol");

        var unknown = () => host.Manager.CreateAsync(carol, ManagementHost.Dataflow("Guess", "no-such-drop"));
        var unshared = () => host.Manager.CreateAsync(carol, ManagementHost.Dataflow("Guess", "partner-sftp"));
        var byAdmin = () => host.Manager.CreateAsync(Callers.Admin, ManagementHost.Dataflow("Guess", "no-such-drop"));

        (await unknown.Should().ThrowAsync<ExportAccessDeniedException>()).Which.Permission.Should().Be(ExportPermission.ViewDestinations);
        (await unshared.Should().ThrowAsync<ExportAccessDeniedException>()).Which.Permission.Should().Be(ExportPermission.ViewDestinations);
        (await byAdmin.Should().ThrowAsync<ExportValidationException>()).Which.Message.Should().Contain("'no-such-drop' is not a configured destination");
        (await host.Manager.ListAsync(Callers.Admin)).Should().BeEmpty();
    }

    [Fact]
    public async Task ADeletedDataflowsRuns_StayBehindTheSharingOfTheDestinationTheyWroteTo()
    {
        await using var host = new ManagementHost();
        var hidden = await host.Manager.CreateAsync(Callers.Admin, ManagementHost.Dataflow("Private", "partner-sftp", "vip"));
        var run = await host.Manager.ExportNowAsync(Callers.Admin, hidden.Definition.Id, ["vip"]);
        run.Destination.Should().Be("partner-sftp");
        await host.Manager.DeleteAsync(Callers.Admin, hidden.Definition.Id, (await host.Manager.GetAsync(Callers.Admin, hidden.Definition.Id))!.ETag);
        var carol = Callers.Contributor("carol");

        var list = () => host.Manager.SearchRunsAsync(carol, hidden.Definition.Id, new RunQuery());
        var read = () => host.Manager.GetRunAsync(carol, run.RunId);

        (await list.Should().ThrowAsync<ExportNotFoundException>("carol has no share of partner-sftp: the runs are those of an unknown export"))
            .Which.Message.Should().NotContain("partner-sftp");
        (await read()).Should().BeNull("a run she may not see is one that does not exist");
        (await host.Manager.SearchRunsAsync(Callers.Admin, hidden.Definition.Id, new RunQuery())).Items.Should().ContainSingle().Which.RunId.Should().Be(run.RunId);
    }

    [Fact]
    public async Task ListDestinationsAsync_ShowsDestinationsTheCallerMaySee_WithoutSettings()
    {
        // The in-memory provider takes any setting, so a secret can sit beside the others.
        await using var host = new ManagementHost(configure: b => b.AddDestination("secret-drop", InMemoryDestinationProvider.TypeName, d => d.Settings["password"] = "hunter2"));

        var admin = await host.Manager.ListDestinationsAsync(Callers.Admin);
        var carol = await host.Manager.ListDestinationsAsync(Callers.Contributor("carol"));
        var denied = () => host.Manager.ListDestinationsAsync(Callers.Nobody);

        admin.Select(d => d.Name).Should().Equal("crm-drop", "partner-sftp", "secret-drop");
        admin.Single(d => d.Name == "secret-drop").Should().Be(new DestinationSummary("secret-drop", InMemoryDestinationProvider.TypeName, new InMemoryDestinationProvider().Descriptor.DisplayName, null, "csv", ExportCompression.None)
        {
            CanActivate = true,
            CanManage = true,
        });
        carol.Should().OnlyContain(d => !d.CanManage, "contributors never manage destinations");
        admin.Select(d => d.ToString()).Should().NotContain(text => text.Contains("hunter2", StringComparison.Ordinal));
        carol.Select(d => d.Name).Should().Equal("crm-drop");
        await denied.Should().ThrowAsync<ExportAccessDeniedException>();
    }

    [Fact]
    public async Task CustomPolicy_ReplacesTheDefault()
    {
        await using var host = new ManagementHost(configure: b => b.UseAuthorizationPolicy<AllowEverything>());

        var created = await host.Manager.CreateAsync(Callers.Anonymous, ManagementHost.Dataflow());

        created.Definition.Name.Should().Be("Daily CRM");
    }

    private static ClaimsPrincipal Caller(string role) => role switch
    {
        "admin" => Callers.Admin,
        "carol" => Callers.Contributor("carol"),
        "dave" => Callers.Contributor("dave"),
        "viewer" => Callers.Viewer,
        "nobody" => Callers.Nobody,
        _ => Callers.Anonymous,
    };

    private static DataflowDefinition Renamed(DataflowDefinition dataflow)
    {
        var copy = dataflow.Clone();
        copy.Name = "Renamed";
        return copy;
    }

    private static DataflowDefinition WithIdentity(DataflowDefinition dataflow)
    {
        dataflow.IdentityNamespaces = ["crmId"];
        return dataflow;
    }

    private static async Task<List<string>> SnapshotAsync(ManagementHost host)
    {
        var snapshot = new List<string>();
        await foreach (var stored in host.Store.ListDataflowsAsync())
        {
            snapshot.Add($"{stored.Definition.Id}:{stored.ETag}");
            await foreach (var run in host.Store.ListRunsAsync(stored.Definition.Id))
            {
                snapshot.Add($"{run.RunId}:{run.Status}");
            }
        }

        snapshot.Sort(StringComparer.Ordinal);
        return snapshot;
    }

    private sealed class AllowEverything : IExportAuthorizationPolicy
    {
        public ValueTask<bool> IsAllowedAsync(ClaimsPrincipal caller, ExportPermission permission, DestinationDefinition? destination, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(true);
    }
}
