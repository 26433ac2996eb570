using System.Text;
using Exports.Sdk.Tests.Fixtures;

namespace Exports.Sdk.Tests.Destinations.Local;

public sealed class LocalFolderDestinationTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly string _root;
    private readonly LocalFolderDestination _destination;

    public LocalFolderDestinationTests()
    {
        // The root sits two levels below the temp folder, so an escape of one or two levels would still be seen.
        _root = Path.Combine(_folder.Root, "outer", "root");
        _destination = new LocalFolderDestination("local-dest", _root);
    }

    public static TheoryData<string> EscapingPaths() => new()
    {
        "..",
        "../x.csv",
        "../../x.csv",
        "a/../../x.csv",
        "a/./b.csv",
        "./x.csv",
        "/etc/passwd",
        "/x.csv",
        "C:/x.csv",
        "c:x.csv",
        "a\\b.csv",
        "..\\x.csv",
        "\\\\server\\share\\x.csv",
        "a//b.csv",
        "a/",
        "",
        "a\u0000b.csv",
        "a\nb.csv",
    };

    public void Dispose() => _folder.Dispose();

    [Theory]
    [MemberData(nameof(EscapingPaths))]
    public void Validate_PathLeavingOrBendingTheRoot_ThrowsNamingDestinationAndPath(string path)
    {
        var error = FluentActions.Invoking(() => DestinationPath.Validate(path, "local-dest")).Should().Throw<ExportValidationException>().Which;

        error.Message.Should().Contain("Destination 'local-dest'");
        error.Message.Should().Contain($"'{Printable(path)}'");
        DestinationPath.Check(path).Should().NotBeNull();
    }

    [Theory]
    [MemberData(nameof(EscapingPaths))]
    public async Task OpenWriteAsync_PathLeavingOrBendingTheRoot_ThrowsAndWritesNothing(string path)
    {
        var act = async () =>
        {
            await using var writer = await _destination.OpenWriteAsync(path);
            await writer.Stream.WriteAsync("x"u8.ToArray());
            await writer.CommitAsync();
        };

        var error = (await act.Should().ThrowAsync<ExportValidationException>()).Which;
        error.Message.Should().Contain("Destination 'local-dest'").And.Contain($"'{Printable(path)}'");
        _folder.ListAllFiles().Should().BeEmpty();
    }

    [Theory]
    [InlineData("../x.csv")]
    [InlineData("/etc/passwd")]
    [InlineData("a\\b.csv")]
    public async Task DeleteAsync_PathLeavingTheRoot_Throws(string path)
    {
        var act = async () => await _destination.DeleteAsync(path);

        (await act.Should().ThrowAsync<ExportValidationException>()).Which.Message.Should().Contain("Destination 'local-dest'");
    }

    [Theory]
    [InlineData("x.csv")]
    [InlineData("folder/sub/x.csv.gz")]
    [InlineData("a..b.csv")]
    [InlineData("données/日本語 🎉.csv")]
    public async Task CommitAsync_ValidPath_FileAppearsWithContentInsideRoot(string path)
    {
        await using (var writer = await _destination.OpenWriteAsync(path))
        {
            await writer.Stream.WriteAsync(Encoding.UTF8.GetBytes("hello, " + path));
            await writer.CommitAsync();
        }

        File.ReadAllText(Path.Combine(_root, path)).Should().Be("hello, " + path);
        _folder.ListAllFiles().Should().Equal("outer/root/" + path);
        var listed = await _destination.ListAsync("").ToListAsync();
        listed.Should().Equal(new DestinationFile(path, Encoding.UTF8.GetByteCount("hello, " + path)));
    }

    [Fact]
    public async Task OpenWriteAsync_BeforeCommit_OnlyAHiddenTempFileExistsAndListSkipsIt()
    {
        await using var writer = await _destination.OpenWriteAsync("sub/x.csv");
        await writer.Stream.WriteAsync("partial"u8.ToArray());
        await writer.Stream.FlushAsync();

        var files = _folder.ListAllFiles();
        files.Should().ContainSingle().Which.Should().StartWith("outer/root/sub/.exports-tmp-");
        File.Exists(Path.Combine(_root, "sub", "x.csv")).Should().BeFalse();
        (await _destination.ListAsync("").ToListAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task OpenWriteAsync_NamesItsTempFileBeforeCreatingIt_SoARunRecordsItFirst()
    {
        await using var writer = await _destination.OpenWriteAsync("sub/x.csv");
        var token = ((IPendingWrite)writer).PendingToken;

        token.Should().StartWith(".exports-tmp-");
        File.Exists(Path.Combine(_root, "sub", token!)).Should().BeFalse("nothing was written yet");
        await writer.Stream.WriteAsync("partial"u8.ToArray());
        File.Exists(Path.Combine(_root, "sub", token!)).Should().BeTrue("the first write creates the file the token named");
    }

    [Fact]
    public async Task CommitAsync_NothingWritten_PublishesAnEmptyFile()
    {
        await using (var writer = await _destination.OpenWriteAsync("empty.csv"))
        {
            await writer.CommitAsync();
        }

        _folder.ListAllFiles().Should().Equal("outer/root/empty.csv");
        new FileInfo(Path.Combine(_root, "empty.csv")).Length.Should().Be(0);
    }

    [Fact]
    public async Task DisposeAsync_WithoutCommit_RemovesTempFileAndPublishesNothing()
    {
        await using (var writer = await _destination.OpenWriteAsync("x.csv"))
        {
            await writer.Stream.WriteAsync("partial"u8.ToArray());
        }

        _folder.ListAllFiles().Should().BeEmpty();
    }

    [Fact]
    public async Task CommitAsync_ExistingFile_ReplacesIt()
    {
        await WriteAsync("x.csv", "first version, longer");
        await WriteAsync("x.csv", "second");

        File.ReadAllText(Path.Combine(_root, "x.csv")).Should().Be("second");
        _folder.ListAllFiles().Should().Equal("outer/root/x.csv");
    }

    [Fact]
    public async Task CommitAsync_CancelledToken_LeavesNothing()
    {
        using var cts = new CancellationTokenSource();
        var act = async () =>
        {
            await using var writer = await _destination.OpenWriteAsync("x.csv");
            await writer.Stream.WriteAsync("data"u8.ToArray());
            await cts.CancelAsync();
            await writer.CommitAsync(cts.Token);
        };

        await act.Should().ThrowAsync<OperationCanceledException>();
        _folder.ListAllFiles().Should().BeEmpty();
    }

    [Fact]
    public async Task ListAsync_Prefix_ListsOnlyMatchingCommittedFiles()
    {
        await WriteAsync("a/1.csv", "1");
        await WriteAsync("a/2.csv", "22");
        await WriteAsync("b/3.csv", "333");

        (await _destination.ListAsync("a/").ToListAsync()).Should().Equal(new DestinationFile("a/1.csv", 1), new DestinationFile("a/2.csv", 2));
    }

    [Fact]
    public async Task DeleteAsync_MissingFile_DoesNothing()
    {
        await _destination.DeleteAsync("missing/x.csv");
        await WriteAsync("x.csv", "x");
        await _destination.DeleteAsync("x.csv");

        _folder.ListAllFiles().Should().BeEmpty();
    }

    [Fact]
    public async Task TestConnectionAsync_WritableFolder_SucceedsAndLeavesNoFile()
    {
        var result = await _destination.TestConnectionAsync();

        result.Succeeded.Should().BeTrue(result.Message);
        _folder.ListAllFiles().Should().BeEmpty();
    }

    [Fact]
    public void Combine_FolderAndName_JoinsWithSlash()
    {
        DestinationPath.Combine(null, "x.csv").Should().Be("x.csv");
        DestinationPath.Combine("", "x.csv").Should().Be("x.csv");
        DestinationPath.Combine("/exports/daily/", "x.csv").Should().Be("exports/daily/x.csv");
    }

    private static string Printable(string path) => new([.. path.Select(c => char.IsControl(c) ? '?' : c)]);

    private async Task WriteAsync(string path, string text)
    {
        await using var writer = await _destination.OpenWriteAsync(path);
        await writer.Stream.WriteAsync(Encoding.UTF8.GetBytes(text));
        await writer.CommitAsync();
    }
}
