using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using Xunit;

namespace Exports.Sdk.Testing;

/// <summary>
/// The behaviour every <see cref="IDestination"/> must show, as xunit tests. Derive a class per destination, create a
/// destination with an empty root of its own in <see cref="CreateDestinationAsync"/> (called before each test) and read
/// files back in <see cref="ReadAsync"/>; every test below then runs against it.
/// </summary>
/// <remarks>
/// What is checked: a committed file reads back byte for byte; nothing is visible before commit; disposing without
/// commit leaves nothing (no file, no temp file) and keeps a previous file of that name; a commit replaces a previous
/// file; names with spaces and non-ASCII characters; an empty file; a file spanning several parts or blocks
/// (<see cref="LargeFileSize"/>); cancellation during a write leaves nothing; listing by prefix; deletion; the
/// connection test; a large file's bytes reach the store before its commit; moving a file over another
/// (<see cref="IDestinationMove"/>); an export with fixed file names replacing its whole set, never half of it. Writes come in irregular chunk sizes, and the
/// stream's length, position and seeking are never used. <see cref="DestinationProviderConformanceTests"/> checks the
/// provider: registration, validation and creation.
/// </remarks>
[SuppressMessage("Naming", "CA1707:Identifiers should not contain underscores", Justification = "Test names read Method_Scenario_Expected.")]
public abstract partial class DestinationConformanceTests : IAsyncLifetime
{
    private static readonly int[] ChunkSizes = [1, 7, 8191, 65536, 3, 1 << 20, 100_003];
    private IDestination? _destination;

    /// <summary>The destination under test, created for the current test.</summary>
    protected IDestination Destination => _destination ?? throw new InvalidOperationException("The destination is created in InitializeAsync.");

    /// <summary>
    /// The size of the large-file test: larger than several multipart parts or blocks of the destination as configured
    /// by <see cref="CreateDestinationAsync"/>. Default 3 MiB + 12,345 bytes.
    /// </summary>
    protected virtual int LargeFileSize => (3 << 20) + 12_345;

    /// <summary>Creates the destination under test, with an empty root that no other test uses.</summary>
    /// <returns>The destination.</returns>
    protected abstract ValueTask<IDestination> CreateDestinationAsync();

    /// <summary>Reads a committed file straight from the store (not through the destination), or null when there is none.</summary>
    /// <param name="path">The path relative to the destination's root.</param>
    /// <returns>The bytes, or null.</returns>
    protected abstract ValueTask<byte[]?> ReadAsync(string path);

    /// <summary>
    /// Lists every entry under the destination's root as the store shows it to any reader, hidden and temporary
    /// entries included (paths relative to the root). Default: <see cref="IDestination.ListAsync"/>; override it where
    /// the store can show more (temp files on SFTP or a local disk).
    /// </summary>
    /// <returns>The entries.</returns>
    protected virtual async ValueTask<IReadOnlyList<string>> ListRawAsync()
    {
        var paths = new List<string>();
        await foreach (var file in Destination.ListAsync("").ConfigureAwait(false))
        {
            paths.Add(file.Path);
        }

        return paths;
    }

    /// <summary>
    /// How many bytes of a file that is being written, not yet committed, the store already holds (a temp file's size,
    /// the uploaded parts or staged blocks), read straight from the store. The suite checks that a large file's bytes
    /// leave the writer before the commit, so memory does not grow with the file.
    /// </summary>
    /// <param name="path">The path the file was opened with.</param>
    /// <param name="writer">The open writer, for stores that cannot list pending uploads (then: what the store acknowledged to it).</param>
    /// <returns>The bytes held by the store.</returns>
    protected abstract ValueTask<long> StagedBytesAsync(string path, IDestinationWriter writer);

    /// <summary>Releases what <see cref="CreateDestinationAsync"/> created (e.g. deletes the root). Default: nothing.</summary>
    /// <returns>A task.</returns>
    protected virtual ValueTask CleanUpAsync() => ValueTask.CompletedTask;

    /// <inheritdoc />
    public async Task InitializeAsync() => _destination = await CreateDestinationAsync().ConfigureAwait(false);

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        await CleanUpAsync().ConfigureAwait(false);
        if (_destination is IDisposable disposable)
        {
            disposable.Dispose();
        }
    }

    /// <summary>A committed file reads back byte for byte and is listed with its size.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task Commit_ThenRead_ReturnsTheSameBytes()
    {
        var data = RandomBytes(100_000);

        await WriteAsync("conformance/simple.csv", data).ConfigureAwait(false);

        Assert.Equal(data, await ReadAsync("conformance/simple.csv").ConfigureAwait(false));
        var listed = Assert.Single(await ListAsync("").ConfigureAwait(false));
        Assert.Equal(new DestinationFile("conformance/simple.csv", data.Length), listed);
    }

    /// <summary>Written bytes are invisible until the commit.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task Write_BeforeCommit_IsInvisible()
    {
        var data = RandomBytes(LargeFileSize);
        var writer = await Destination.OpenWriteAsync("pending.csv").ConfigureAwait(false);
        await using (writer.ConfigureAwait(false))
        {
            await WriteChunkedAsync(writer.Stream, data).ConfigureAwait(false);

            Assert.Empty(await ListAsync("").ConfigureAwait(false));
            Assert.Null(await ReadAsync("pending.csv").ConfigureAwait(false));

            await writer.CommitAsync().ConfigureAwait(false);
        }

        Assert.Equal(data, await ReadAsync("pending.csv").ConfigureAwait(false));
    }

    /// <summary>Disposing a writer without commit leaves no file and no temporary data.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task Dispose_WithoutCommit_LeavesNothing()
    {
        var writer = await Destination.OpenWriteAsync("aborted/file.csv").ConfigureAwait(false);
        await using (writer.ConfigureAwait(false))
        {
            await WriteChunkedAsync(writer.Stream, RandomBytes(LargeFileSize)).ConfigureAwait(false);
        }

        Assert.Empty(await ListAsync("").ConfigureAwait(false));
        Assert.Empty(await ListRawFilesAsync().ConfigureAwait(false));
        Assert.Null(await ReadAsync("aborted/file.csv").ConfigureAwait(false));
    }

    /// <summary>An aborted rewrite keeps the file that was there.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task Dispose_WithoutCommit_KeepsThePreviousFile()
    {
        var first = RandomBytes(50_000);
        await WriteAsync("kept.csv", first).ConfigureAwait(false);

        var writer = await Destination.OpenWriteAsync("kept.csv").ConfigureAwait(false);
        await using (writer.ConfigureAwait(false))
        {
            await WriteChunkedAsync(writer.Stream, RandomBytes(70_000)).ConfigureAwait(false);
        }

        Assert.Equal(first, await ReadAsync("kept.csv").ConfigureAwait(false));
        Assert.Equal(["kept.csv"], await ListRawFilesAsync().ConfigureAwait(false));
    }

    /// <summary>A commit replaces a file of the same name.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task Commit_OverAnExistingFile_ReplacesIt()
    {
        await WriteAsync("static name.csv", RandomBytes(LargeFileSize)).ConfigureAwait(false);
        var second = RandomBytes(12_345);

        await WriteAsync("static name.csv", second).ConfigureAwait(false);

        Assert.Equal(second, await ReadAsync("static name.csv").ConfigureAwait(false));
        var listed = Assert.Single(await ListAsync("").ConfigureAwait(false));
        Assert.Equal(second.Length, listed.Size);
    }

    /// <summary>Names with spaces and non-ASCII characters are kept as written.</summary>
    /// <param name="path">The path.</param>
    /// <returns>A task.</returns>
    [Theory]
    [InlineData("folder with spaces/file name with spaces.csv")]
    [InlineData("données/Ünïcødé 名前 😀.csv.gz")]
    [InlineData("a/b/c/deep, comma; semicolon (1) #hash.jsonl")]
    public async Task Names_WithSpacesAndNonAscii_RoundTrip(string path)
    {
        var data = RandomBytes(1_000);

        await WriteAsync(path, data).ConfigureAwait(false);

        Assert.Equal(data, await ReadAsync(path).ConfigureAwait(false));
        Assert.Equal([path], (await ListAsync("").ConfigureAwait(false)).Select(f => f.Path));
    }

    /// <summary>An empty file is committed and listed with size 0.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task EmptyFile_IsCommitted()
    {
        await WriteAsync("empty.csv", []).ConfigureAwait(false);

        var read = await ReadAsync("empty.csv").ConfigureAwait(false);
        Assert.NotNull(read);
        Assert.Empty(read);
        Assert.Equal(new DestinationFile("empty.csv", 0), Assert.Single(await ListAsync("").ConfigureAwait(false)));
    }

    /// <summary>A file larger than several parts or blocks round-trips byte for byte.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task LargeFile_SpanningSeveralParts_RoundTrips()
    {
        var data = RandomBytes(LargeFileSize);

        await WriteAsync("large/file.bin", data).ConfigureAwait(false);

        var read = await ReadAsync("large/file.bin").ConfigureAwait(false);
        Assert.NotNull(read);
        Assert.Equal(data.Length, read.Length);
        Assert.Equal(SHA256.HashData(data), SHA256.HashData(read));
        Assert.Equal(data.Length, Assert.Single(await ListAsync("large/").ConfigureAwait(false)).Size);
    }

    /// <summary>
    /// While a large file is written, its bytes reach the store before the commit (all but what the writer may hold:
    /// at most two parts), and none of them is visible until the commit.
    /// </summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task LargeFile_BeforeCommit_HasLeftTheWriter()
    {
        var data = RandomBytes(LargeFileSize);
        var writer = await Destination.OpenWriteAsync("staged/file.bin").ConfigureAwait(false);
        await using (writer.ConfigureAwait(false))
        {
            await WriteChunkedAsync(writer.Stream, data).ConfigureAwait(false);

            // A part may still be on its way; wait for the store to show it (bounded, not a timing assertion).
            var staged = 0L;
            for (var attempt = 0; attempt < 100 && staged == 0; attempt++)
            {
                staged = await StagedBytesAsync("staged/file.bin", writer).ConfigureAwait(false);
                if (staged == 0)
                {
                    await Task.Delay(50).ConfigureAwait(false);
                }
            }

            Assert.True(staged > 0, $"None of the {data.Length} bytes written reached the store before the commit: the writer holds the whole file.");
            Assert.Empty(await ListAsync("staged/").ConfigureAwait(false));
            await writer.CommitAsync().ConfigureAwait(false);
        }

        Assert.Equal(SHA256.HashData(data), SHA256.HashData((await ReadAsync("staged/file.bin").ConfigureAwait(false))!));
    }

    /// <summary>Cancelling during a write, then disposing, leaves nothing behind.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task Cancellation_MidWrite_LeavesNothing()
    {
        var data = RandomBytes(LargeFileSize);
        using var cancellation = new CancellationTokenSource();
        var writer = await Destination.OpenWriteAsync("cancelled.csv", cancellation.Token).ConfigureAwait(false);
        await using (writer.ConfigureAwait(false))
        {
            await writer.Stream.WriteAsync(data.AsMemory(0, data.Length / 2), cancellation.Token).ConfigureAwait(false);
            await cancellation.CancelAsync().ConfigureAwait(false);

            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            {
                await writer.Stream.WriteAsync(data.AsMemory(data.Length / 2), cancellation.Token).ConfigureAwait(false);
                await writer.CommitAsync(cancellation.Token).ConfigureAwait(false);
            }).ConfigureAwait(false);
        }

        Assert.Empty(await ListAsync("").ConfigureAwait(false));
        Assert.Empty(await ListRawFilesAsync().ConfigureAwait(false));
    }

    /// <summary>Listing returns the committed files under a prefix, with their sizes, and nothing else.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task ListAsync_ByPrefix_ReturnsOnlyMatchingFiles()
    {
        string[] paths = ["a/one.csv", "a/two.csv", "a/b/three.csv", "ab.csv", "c/four.csv"];
        for (var i = 0; i < paths.Length; i++)
        {
            await WriteAsync(paths[i], RandomBytes(100 + i)).ConfigureAwait(false);
        }

        Assert.Equivalent(new[] { new DestinationFile("a/b/three.csv", 102), new DestinationFile("a/one.csv", 100), new DestinationFile("a/two.csv", 101) }, await ListAsync("a/").ConfigureAwait(false), strict: true);
        Assert.Equal(["a/b/three.csv", "a/one.csv", "a/two.csv", "ab.csv"], (await ListAsync("a").ConfigureAwait(false)).Select(f => f.Path).Order(StringComparer.Ordinal));
        Assert.Equal(["a/b/three.csv"], (await ListAsync("a/b/").ConfigureAwait(false)).Select(f => f.Path));
        Assert.Equal(paths.Order(StringComparer.Ordinal), (await ListAsync("").ConfigureAwait(false)).Select(f => f.Path).Order(StringComparer.Ordinal));
        Assert.Empty(await ListAsync("missing/").ConfigureAwait(false));
    }

    /// <summary>Deleting removes a file; deleting a missing file does nothing.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task DeleteAsync_RemovesTheFile_AndIgnoresMissingOnes()
    {
        await WriteAsync("to-delete.csv", RandomBytes(10)).ConfigureAwait(false);

        await Destination.DeleteAsync("to-delete.csv").ConfigureAwait(false);
        await Destination.DeleteAsync("never-written.csv").ConfigureAwait(false);

        Assert.Null(await ReadAsync("to-delete.csv").ConfigureAwait(false));
        Assert.Empty(await ListAsync("").ConfigureAwait(false));
    }

    /// <summary>The connection test succeeds and leaves no file behind.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task TestConnectionAsync_Succeeds_AndLeavesNothing()
    {
        var result = await Destination.TestConnectionAsync().ConfigureAwait(false);

        Assert.True(result.Succeeded, result.Message);
        Assert.Null(result.MissingPermission);
        Assert.Empty(await ListRawFilesAsync().ConfigureAwait(false));
    }

    /// <summary>Writes a whole file in irregular chunks and commits it.</summary>
    /// <param name="path">The path.</param>
    /// <param name="data">The bytes.</param>
    /// <returns>A task.</returns>
    protected async Task WriteAsync(string path, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var writer = await Destination.OpenWriteAsync(path).ConfigureAwait(false);
        await using (writer.ConfigureAwait(false))
        {
            await WriteChunkedAsync(writer.Stream, data).ConfigureAwait(false);
            await writer.CommitAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Lists files under a prefix into a list.</summary>
    /// <param name="prefix">The prefix.</param>
    /// <returns>The files.</returns>
    protected async Task<List<DestinationFile>> ListAsync(string prefix)
    {
        var files = new List<DestinationFile>();
        await foreach (var file in Destination.ListAsync(prefix).ConfigureAwait(false))
        {
            files.Add(file);
        }

        return files;
    }

    /// <summary>Random bytes (incompressible, so sizes on the wire match).</summary>
    /// <param name="length">The length.</param>
    /// <returns>The bytes.</returns>
    protected static byte[] RandomBytes(int length)
    {
        var data = new byte[length];
        RandomNumberGenerator.Fill(data);
        return data;
    }

    private static async Task WriteChunkedAsync(Stream stream, byte[] data)
    {
        var offset = 0;
        for (var i = 0; offset < data.Length; i++)
        {
            var count = Math.Min(ChunkSizes[i % ChunkSizes.Length], data.Length - offset);
            await stream.WriteAsync(data.AsMemory(offset, count)).ConfigureAwait(false);
            offset += count;
        }

        await stream.FlushAsync().ConfigureAwait(false);
    }

    private async Task<List<string>> ListRawFilesAsync() => [.. (await ListRawAsync().ConfigureAwait(false)).Order(StringComparer.Ordinal)];
}
