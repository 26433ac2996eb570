using Exports.Sdk.Tests.Fixtures;

namespace Exports.Sdk.Tests.Store;

/// <summary>
/// A file store keeps what it read of each run record in memory, by the file's version, so it does not read a whole
/// history again on every claim and list. Another process writing the same folder (here a second store over it) changes
/// those files: what it wrote is what the first store claims, lists, pages and cleans up after.
/// </summary>
public sealed class SharedFolderRunsTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 6, 15, 10, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task ARunClaimedAgainByAnotherProcess_IsAConflictHere_ThoughThisStoreHadReadItEnded()
    {
        var here = new FileExportStore(_folder.Root);
        var there = new FileExportStore(_folder.Root);
        await here.SaveRunAsync(Run("slot") with { Status = ExportRunStatus.Failed });
        (await here.ListRunsAsync("a").ToListAsync()).Should().ContainSingle().Which.Status.Should().Be(ExportRunStatus.Failed);

        // Another process retries the slot: the same record, active again.
        (await there.TryStartRunAsync(Run("slot"))).Started.Should().BeTrue();

        var claim = await here.TryStartRunAsync(Run("other"));
        claim.Started.Should().BeFalse("the retried slot holds the audience");
        claim.Conflicts.Should().Equal(new RunConflict("vip", "slot"));
    }

    [Fact]
    public async Task ARunRewrittenWithinOneStepOfTheFileClock_WithTheSameLength_IsStillSeenActive()
    {
        var here = new FileExportStore(_folder.Root);
        var there = new FileExportStore(_folder.Root);
        (await there.TryStartRunAsync(Run("slot") with { Status = ExportRunStatus.Queued })).Started.Should().BeTrue();
        var path = Directory.EnumerateFiles(_folder.Root, "slot.json", SearchOption.AllDirectories).Single();
        var queued = File.ReadAllText(path);
        var stamp = File.GetLastWriteTimeUtc(path);

        // The same record ended, with the same length ("Failed" as long as "Queued"), then queued again by another
        // process, both within one step of a coarse file system clock: two versions with one time and one length.
        var failed = queued.Replace("\"status\": \"Queued\"", "\"status\": \"Failed\"", StringComparison.Ordinal)
            .Replace("\"isActive\": true", "\"isActive\":false", StringComparison.Ordinal);
        failed.Length.Should().Be(queued.Length);
        await File.WriteAllTextAsync(path, failed);
        File.SetLastWriteTimeUtc(path, stamp);
        (await here.ListRunsAsync("a").SingleAsync()).Status.Should().Be(ExportRunStatus.Failed);
        await File.WriteAllTextAsync(path, queued);
        File.SetLastWriteTimeUtc(path, stamp);

        var claim = await here.TryStartRunAsync(Run("other"));

        claim.Conflicts.Should().Equal([new RunConflict("vip", "slot")], "a file written moments ago is read again, whatever its time and length");
    }

    [Fact]
    public async Task WhatAnotherProcessWrote_IsWhatThisStoreListsPagesAndCleansUpAfter()
    {
        var here = new FileExportStore(_folder.Root);
        var there = new FileExportStore(_folder.Root);
        for (var i = 0; i < 5; i++)
        {
            await here.SaveRunAsync(Run($"r{i}") with { Status = ExportRunStatus.Succeeded, CreatedAt = Now.AddMinutes(i) });
        }

        (await here.SearchRunsAsync("a", new RunQuery { Take = 2 })).Items.Select(r => r.RunId).Should().Equal("r4", "r3");
        (await here.ListRunsWithLeftoversAsync("a").ToListAsync()).Should().BeEmpty();

        // The other process records a newer run, fails an older one that left a file, and deletes nothing.
        await there.SaveRunAsync(Run("r5") with { Status = ExportRunStatus.Succeeded, CreatedAt = Now.AddMinutes(5) });
        await there.SaveRunAsync(Run("r1") with { Status = ExportRunStatus.Failed, CreatedAt = Now.AddMinutes(1), LeftoverFiles = ["part.csv"] });

        (await here.ListRunsAsync("a").FirstAsync()).RunId.Should().Be("r5");
        var failed = await here.SearchRunsAsync("a", new RunQuery { Status = ExportRunStatus.Failed });
        failed.TotalCount.Should().Be(1);
        failed.Items.Should().ContainSingle().Which.LeftoverFiles.Should().Equal("part.csv");
        (await here.ListRunsWithLeftoversAsync("a").ToListAsync()).Select(r => r.RunId).Should().Equal("r1");
        (await here.SearchRunsAsync("a", new RunQuery())).TotalCount.Should().Be(6);
    }

    public void Dispose() => _folder.Dispose();

    private static ExportRunRecord Run(string id) => new()
    {
        RunId = id,
        DataflowId = "a",
        Status = ExportRunStatus.Running,
        AudienceIds = ["vip"],
        ScheduledTime = Now,
        CreatedAt = Now,
    };
}
