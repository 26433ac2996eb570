using System.Net;

namespace Exports.Sdk.AspNetCore.Tests.Destinations;

/// <summary>
/// Issue 16: the rules of destinations managed at run time, over HTTP: a used destination cannot be deleted, sharing
/// decides which contributors may use one, changes need the current ETag, and declared destinations are read-only.
/// </summary>
public sealed class DestinationManagementTests : IAsyncLifetime
{
    private ExportsWebFactory _web = null!;
    private HttpClient _admin = null!;

    public Task InitializeAsync()
    {
        _web = new ExportsWebFactory();
        _admin = _web.Admin();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _web.DisposeAsync();

    [Fact]
    public async Task Delete_WhileAnExportUsesIt_IsRefusedNamingTheExport_AndAfterwardsSucceeds()
    {
        await CreateLocalAsync("in-use");
        (await _admin.PostJsonAsync("dataflows", Dataflow("uses-it", "in-use"))).Status.Should().Be(HttpStatusCode.Created);
        var etag = (await _admin.GetJsonAsync("destinations/in-use")).Response.ETag();

        var (status, body, _) = await _admin.SendAsync(HttpMethod.Delete, "destinations/in-use", ifMatch: etag);

        status.Should().Be(HttpStatusCode.BadRequest);
        body!["detail"]!.GetValue<string>().Should().Contain("Destination 'in-use' cannot be deleted").And.Contain("'uses-it'");
        (await _admin.GetJsonAsync("destinations/in-use")).Status.Should().Be(HttpStatusCode.OK, "nothing was deleted");

        var dataflowTag = (await _admin.GetJsonAsync("dataflows/uses-it")).Response.ETag();
        (await _admin.SendAsync(HttpMethod.Delete, "dataflows/uses-it", ifMatch: dataflowTag)).Status.Should().Be(HttpStatusCode.NoContent);
        (await _admin.SendAsync(HttpMethod.Delete, "destinations/in-use", ifMatch: etag)).Status.Should().Be(HttpStatusCode.NoContent);
        (await _admin.GetJsonAsync("destinations/in-use")).Status.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AContributor_CanUseADestinationSharedWithThem_AndNotAnUnsharedOne()
    {
        await CreateLocalAsync("shared-drop");
        await CreateLocalAsync("private-drop");
        var etag = (await _admin.GetJsonAsync("destinations/shared-drop")).Response.ETag();
        var (shared, sharedBody, _) = await _admin.SendAsync(HttpMethod.Put, "destinations/shared-drop/shares/dana", new { access = "Edit" }, ifMatch: etag);
        shared.Should().Be(HttpStatusCode.OK, sharedBody?.ToJsonString());
        sharedBody!["sharedWith"]!["dana"]!.GetValue<string>().Should().Be("Edit");
        var sharedTag = (await _admin.GetJsonAsync("destinations/shared-drop")).Response.ETag();
        var (unshareNobody, _, _) = await _admin.SendAsync(HttpMethod.Delete, "destinations/shared-drop/shares/nobody", ifMatch: sharedTag);
        unshareNobody.Should().Be(HttpStatusCode.OK);
        (await _admin.GetJsonAsync("destinations/shared-drop")).Response.ETag().Should().Be(sharedTag, "a share that did not exist changes nothing, not even the ETag");
        var dana = _web.ClientAs("dana", "Contributor");

        var visible = (await dana.GetJsonAsync("destinations")).Body!.AsArray().Select(d => d!["name"]!.GetValue<string>());
        var onShared = await dana.PostJsonAsync("dataflows", Dataflow("dana-shared", "shared-drop"));
        var onPrivate = await dana.PostJsonAsync("dataflows", Dataflow("dana-private", "private-drop"));

        visible.Should().Contain("shared-drop").And.NotContain("private-drop");
        onShared.Status.Should().Be(HttpStatusCode.Created, onShared.Body?.ToJsonString());
        onPrivate.Status.Should().Be(HttpStatusCode.Forbidden);
        onPrivate.Body!["detail"]!.GetValue<string>().Should().Contain("private-drop");
        (await dana.GetJsonAsync("destinations/private-drop")).Status.Should().Be(HttpStatusCode.NotFound, "one she may not see is one that does not exist for her");
        (await dana.PostJsonAsync("destinations", new { name = "dana-own", type = "local", settings = new { path = Path.Combine(_web.Root, "dana") } }))
            .Status.Should().Be(HttpStatusCode.Forbidden, "a contributor does not manage destinations");

        // An export on a destination she may not see is one that does not exist for her: not a 403 naming its destination.
        (await _admin.PostJsonAsync("dataflows", Dataflow("admin-private", "private-drop"))).Status.Should().Be(HttpStatusCode.Created);
        foreach (var (method, path, body) in new (HttpMethod, string, object?)[]
        {
            (HttpMethod.Get, "dataflows/admin-private", null),
            (HttpMethod.Get, "dataflows/admin-private/runs", null),
            (HttpMethod.Post, "dataflows/admin-private/run", null),
            (HttpMethod.Post, "dataflows/admin-private/export-now", new { audienceIds = new[] { "demo-audience" } }),
        })
        {
            var (hidden, hiddenBody, _) = await dana.SendAsync(method, path, body);
            hidden.Should().Be(HttpStatusCode.NotFound, $"{method} {path}: {hiddenBody?.ToJsonString()}");
            hiddenBody!.ToJsonString().Should().NotContain("private-drop");
        }

        var (_, runAll, _) = await dana.PostJsonAsync("run-all");
        runAll!.ToJsonString().Should().NotContain("admin-private", "run-all does not name exports she may not see, even as skipped");
        (await _admin.GetJsonAsync("dataflows/admin-private/runs")).Body!["totalCount"]!.GetValue<int>().Should().Be(0, "nothing ran");
    }

    [Fact]
    public async Task Update_WithAStaleETag_IsRefused_AndDeclaredDestinationsAreReadOnly()
    {
        await CreateLocalAsync("edited");
        var stale = (await _admin.GetJsonAsync("destinations/edited")).Response.ETag();
        (await _admin.SendAsync(HttpMethod.Put, "destinations/edited", Local("edited", "a"), ifMatch: stale)).Status.Should().Be(HttpStatusCode.OK);

        var (status, _, _) = await _admin.SendAsync(HttpMethod.Put, "destinations/edited", Local("edited", "b"), ifMatch: stale);
        var (noIfMatch, _, _) = await _admin.SendAsync(HttpMethod.Put, "destinations/edited", Local("edited", "b"));
        var (declared, declaredBody, _) = await _admin.GetJsonAsync("destinations/demo-folder");
        var (changeDeclared, changeBody, _) = await _admin.SendAsync(HttpMethod.Put, "destinations/demo-folder", Local("demo-folder", "c"), ifMatch: declaredBody!["eTag"]!.GetValue<string>());
        var (clash, _, _) = await _admin.PostJsonAsync("destinations", Local("EDITED", "d"));

        status.Should().Be(HttpStatusCode.PreconditionFailed);
        noIfMatch.Should().Be((HttpStatusCode)428);
        declared.Should().Be(HttpStatusCode.OK);
        declaredBody["isReadOnly"]!.GetValue<bool>().Should().BeTrue();
        changeDeclared.Should().Be(HttpStatusCode.BadRequest);
        changeBody!["detail"]!.GetValue<string>().Should().Contain("declared in code or configuration");
        clash.Should().Be(HttpStatusCode.Conflict, "names compare case-insensitively");
    }

    [Fact]
    public async Task AnEdit_DuringARun_LeavesThatRunOnItsSettings()
    {
        var (created, body, _) = await _admin.PostJsonAsync("destinations", new
        {
            name = "moving",
            type = "local",
            settings = new { path = Path.Combine(_web.Root, "before") },
            output = new { maxRowsPerFile = 4096 },
        });
        created.Should().Be(HttpStatusCode.Created, body?.ToJsonString());
        (await _admin.PostJsonAsync("dataflows", Dataflow("slow", "moving", TrickleAudienceSource.Name, TrickleAudienceSource.AudienceId))).Status.Should().Be(HttpStatusCode.Created);
        var (_, run, _) = await _admin.PostJsonAsync("dataflows/slow/export-now", new { audienceIds = new[] { TrickleAudienceSource.AudienceId } });
        var runId = run!["runId"]!.GetValue<string>();
        await _admin.WaitForRunAsync(runId, r => r["progress"]?["filesCommitted"]?.GetValue<int>() >= 1);

        var etag = (await _admin.GetJsonAsync("destinations/moving")).Response.ETag();
        (await _admin.SendAsync(HttpMethod.Put, "destinations/moving", new { name = "moving", type = "local", settings = new { path = Path.Combine(_web.Root, "after") }, output = new { maxRowsPerFile = 4096 } }, ifMatch: etag))
            .Status.Should().Be(HttpStatusCode.OK);
        var filesAtEdit = (await _admin.GetJsonAsync($"runs/{runId}")).Body!["progress"]!["filesCommitted"]!.GetValue<int>();
        await _admin.WaitForRunAsync(runId, r => r["progress"]!["filesCommitted"]!.GetValue<int>() >= filesAtEdit + 2);

        Directory.EnumerateFiles(Path.Combine(_web.Root, "before"), "*.csv").Count().Should().BeGreaterThanOrEqualTo(filesAtEdit + 2, "the run kept writing where it started");
        Directory.Exists(Path.Combine(_web.Root, "after")).Should().BeFalse("the edit applies from the next run on");
        (await _admin.PostJsonAsync($"runs/{runId}/cancel")).Status.Should().Be(HttpStatusCode.Accepted);
        await _admin.WaitForRunAsync(runId, Api.HasEnded);
    }

    [Fact]
    public async Task AStoredSecret_IsNotReusedForAnotherConnection_NorAnyFolderOfTheHostWritable()
    {
        var s3 = new Dictionary<string, string> { ["bucket"] = "partner-bucket", ["serviceUrl"] = "http://127.0.0.1:9", ["accessKeyId"] = "key", ["secretAccessKey"] = "kept-secret-51f0" };
        (await _admin.PostJsonAsync("destinations", new { name = "partner-s3", type = "amazon-s3", settings = s3 })).Status.Should().Be(HttpStatusCode.Created);
        var etag = (await _admin.GetJsonAsync("destinations/partner-s3")).Response.ETag();
        var elsewhere = new Dictionary<string, string>(s3) { ["serviceUrl"] = "http://attacker.example" };
        elsewhere.Remove("secretAccessKey");

        var (moved, movedBody, _) = await _admin.SendAsync(HttpMethod.Put, "destinations/partner-s3", new { name = "partner-s3", type = "amazon-s3", settings = elsewhere }, ifMatch: etag);
        var (tested, testedBody, _) = await _admin.PostJsonAsync("destinations/test", new { name = "partner-s3", type = "amazon-s3", settings = elsewhere });
        var (outside, outsideBody, _) = await _admin.PostJsonAsync("destinations", new { name = "host-root", type = "local", settings = new { path = "/" } });
        var (reserved, _, _) = await _admin.PostJsonAsync("destinations", Local("new", "x"));

        moved.Should().Be(HttpStatusCode.BadRequest);
        movedBody!["detail"]!.GetValue<string>().Should().Contain("setting 'secretAccessKey' must be entered again").And.Contain("'serviceUrl' changed");
        tested.Should().Be(HttpStatusCode.BadRequest, "a test would send the stored secret to the new endpoint");
        testedBody!.ToJsonString().Should().Contain("secretAccessKey").And.NotContain("kept-secret-51f0");
        outside.Should().Be(HttpStatusCode.BadRequest);
        outsideBody!["detail"]!.GetValue<string>().Should().Contain("RunTimeLocalRoot");
        reserved.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task ALocalFolderCreatedAtRunTime_WithARelativePath_WritesUnderTheRoot_AndNeverIntoTheStore()
    {
        // The root of these tests holds the file store (store/): a relative path used to resolve against the working
        // directory, and a folder inside the store let an export overwrite its records.
        var (relative, relativeBody, _) = await _admin.PostJsonAsync("destinations", new { name = "relative", type = "local", settings = new { path = "drops/relative" } });
        var (intoStore, intoStoreBody, _) = await _admin.PostJsonAsync("destinations", new { name = "into-store", type = "local", settings = new { path = "store/dataflows" } });
        var (viaFolder, viaFolderBody, _) = await _admin.PostJsonAsync("destinations", new { name = "via-folder", type = "local", folderPath = "store", settings = new { path = "." } });
        var (above, aboveBody, _) = await _admin.PostJsonAsync("destinations", new { name = "above-store", type = "local", settings = new { path = "." } });

        relative.Should().Be(HttpStatusCode.Created, relativeBody?.ToJsonString());
        relativeBody!["settings"]!["path"]!.GetValue<string>().Should().Be(Path.Combine(_web.Root, "drops", "relative"), "a relative path is taken under the root");
        foreach (var (status, body) in new[] { (intoStore, intoStoreBody), (viaFolder, viaFolderBody), (above, aboveBody) })
        {
            // Above it too: a dataset export's folder template writes into subfolders.
            status.Should().Be(HttpStatusCode.BadRequest, body?.ToJsonString());
            body!["detail"]!.GetValue<string>().Should().Contain("is the store's folder (Exports:StorePath), inside it or above it");
        }

        (await _admin.GetJsonAsync("destinations/into-store")).Status.Should().Be(HttpStatusCode.NotFound);
        (await _admin.PostJsonAsync("dataflows", Dataflow("to-relative", "relative"))).Status.Should().Be(HttpStatusCode.Created);
        var (started, run, _) = await _admin.PostJsonAsync("dataflows/to-relative/export-now", new { audienceIds = new[] { "demo-audience" } });
        started.Should().Be(HttpStatusCode.Accepted, run?.ToJsonString());
        var ended = await _admin.WaitForRunAsync(run!["runId"]!.GetValue<string>(), Api.HasEnded);

        ended["status"]!.GetValue<string>().Should().Be("Succeeded", ended.ToJsonString());
        Directory.EnumerateFiles(Path.Combine(_web.Root, "drops", "relative"), "*.csv").Should().NotBeEmpty();
    }

    [Fact]
    public async Task ALocalFolderCreatedAtRunTime_ThroughASymbolicLink_IsCheckedWhereTheLinkLeads()
    {
        // Links under the root, made by someone on the host: one out of the root, one into the store, one into a loop.
        var outside = Directory.CreateTempSubdirectory("exports-outside-").FullName;
        try
        {
            Directory.CreateSymbolicLink(Path.Combine(_web.Root, "to-outside"), outside);
            Directory.CreateSymbolicLink(Path.Combine(_web.Root, "to-store"), "store");
            Directory.CreateSymbolicLink(Path.Combine(_web.Root, "loop"), Path.Combine(_web.Root, "loop"));
            Directory.CreateDirectory(Path.Combine(_web.Root, "real"));
            Directory.CreateSymbolicLink(Path.Combine(_web.Root, "to-real"), Path.Combine(_web.Root, "real"));

            var (escapes, escapesBody, _) = await _admin.PostJsonAsync("destinations", new { name = "escapes", type = "local", settings = new { path = "to-outside/drops" } });
            var (intoStore, intoStoreBody, _) = await _admin.PostJsonAsync("destinations", new { name = "linked-store", type = "local", settings = new { path = "to-store" } });
            var (loops, loopsBody, _) = await _admin.PostJsonAsync("destinations", new { name = "loops", type = "local", settings = new { path = "loop/drops" } });
            var (inside, insideBody, _) = await _admin.PostJsonAsync("destinations", new { name = "linked-inside", type = "local", settings = new { path = "to-real/drops" } });

            escapes.Should().Be(HttpStatusCode.BadRequest, escapesBody?.ToJsonString());
            escapesBody!["detail"]!.GetValue<string>().Should().Contain("setting 'path' must be a folder under Exports:RunTimeLocalRoot").And.Contain("a symbolic link leads out of it");
            intoStore.Should().Be(HttpStatusCode.BadRequest, intoStoreBody?.ToJsonString());
            intoStoreBody!["detail"]!.GetValue<string>().Should().Contain("is the store's folder (Exports:StorePath), inside it or above it");
            loops.Should().Be(HttpStatusCode.BadRequest, loopsBody?.ToJsonString());
            loopsBody!["detail"]!.GetValue<string>().Should().Contain("too many symbolic links");
            inside.Should().Be(HttpStatusCode.Created, "a link that stays under the root is a folder like any other: {0}", insideBody?.ToJsonString());
            Directory.EnumerateFileSystemEntries(outside).Should().BeEmpty();
        }
        finally
        {
            Directory.Delete(outside, recursive: true);
        }
    }

    private object Local(string name, string folder) => new { name, type = "local", settings = new { path = Path.Combine(_web.Root, folder) } };

    private async Task CreateLocalAsync(string name)
    {
        var (status, body, _) = await _admin.PostJsonAsync("destinations", Local(name, name));
        status.Should().Be(HttpStatusCode.Created, body?.ToJsonString());
    }

    private static object Dataflow(string id, string destination, string source = "demo", string audienceId = "demo-audience") => new
    {
        id,
        source,
        destination,
        attributes = new[] { "profileId", "person.email" },
        audiences = new[] { new { audienceId, fileNameTemplate = "%DESTINATION_NAME%_%SEGMENT_ID%_%DATETIME(YYYYMMdd_HHmmss)%" } },
    };
}
