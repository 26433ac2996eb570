using Exports.Sdk.Tests.Fixtures;

namespace Exports.Sdk.Tests.Store;

/// <summary>File-store specifics; the store contract itself runs in <see cref="ExportStoreContractTests"/>.</summary>
public sealed class ExportStoreTests : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task FileExportStore_WriteInterruptedBeforeRename_LeavesThePreviousVersionReadable()
    {
        var store = new FileExportStore(_folder.Root);
        var created = await store.CreateDataflowAsync(WithId(ManagementHost.Dataflow(), "a/b c"));
        var file = Directory.GetFiles(Path.Combine(_folder.Root, "dataflows")).Single();
        // A crash mid-write leaves a half-written temp file beside the record; the rename never happened.
        await File.WriteAllTextAsync(file + ".tmp-0123456789abcdef", "{\"definition\":{\"id\":\"a/b c\",\"name\":\"half");

        var reopened = new FileExportStore(_folder.Root);
        var read = await reopened.GetDataflowAsync("a/b c");
        var all = new List<StoredDataflow>();
        await foreach (var d in reopened.ListDataflowsAsync())
        {
            all.Add(d);
        }

        read!.ETag.Should().Be(created.ETag);
        read.Definition.Name.Should().Be("Daily CRM");
        all.Should().ContainSingle().Which.Definition.Id.Should().Be("a/b c");
        var updated = await reopened.UpdateDataflowAsync(read.Definition, read.ETag);
        (await new FileExportStore(_folder.Root).GetDataflowAsync("a/b c"))!.ETag.Should().Be(updated.ETag);
    }

    public void Dispose() => _folder.Dispose();

    private static DataflowDefinition WithId(DataflowDefinition dataflow, string id)
    {
        dataflow.Id = id;
        return dataflow;
    }
}
