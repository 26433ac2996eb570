using System.Security.Cryptography;
using Exports.Sdk.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Exports.Sdk.Tests.Destinations.Local;

/// <summary>
/// Whether a committed file reached the disk, as the kernel's page cache tells it: a file that a run counts as delivered
/// must survive a power cut (and so must the watermark past it).
/// </summary>
public sealed class LocalFolderDurabilityTests : IAsyncDisposable
{
    private const int FileBytes = 4 << 20;

    // Beside the tests rather than in the temp folder, which may be in memory (tmpfs), where nothing reaches a disk.
    private readonly TempFolder _folder = new(AppContext.BaseDirectory);
    private ServiceProvider? _provider;

    public async ValueTask DisposeAsync()
    {
        if (_provider is not null)
        {
            await _provider.DisposeAsync();
        }

        _folder.Dispose();
    }

    [Fact]
    public async Task CommitAsync_DeclaredWithDefaults_FileIsOnTheDiskWhenCommitReturns()
    {
        var destination = await DeclareAsync(flushToDisk: null);

        var pages = await WriteAndCommitAsync(destination, "parts/default.bin");

        pages.Cached.Should().BeGreaterThan(0, "the file was just written, so the cache holds it");
        pages.NotOnDisk.Should().Be(0, "a committed file is flushed before the commit returns");
    }

    [Fact]
    public async Task CommitAsync_FlushToDiskFalse_LeavesTheWritingToTheKernel()
    {
        var destination = await DeclareAsync(flushToDisk: "false");

        var pages = await WriteAndCommitAsync(destination, "parts/scratch.bin");

        pages.NotOnDisk.Should().BeGreaterThan(0, "a scratch folder does not wait for the disk");
    }

    [Fact]
    public async Task Write_FlushedFileGrowsPastTheFlushInterval_EarlierBytesReachTheDiskBeforeTheCommit()
    {
        var destination = new LocalFolderDestination("local", _folder.Root) { FlushEvery = 1 << 20 };
        var bytes = RandomNumberGenerator.GetBytes(FileBytes);
        await using var writer = await destination.OpenWriteAsync("parts/growing.bin");

        await WriteInPiecesAsync(writer, bytes);
        await ((LocalFileStream)writer.Stream).WaitForFlushAsync(CancellationToken.None);

        var temp = Directory.GetFiles(Path.Combine(_folder.Root, "parts"), LocalFolderDestination.TempPrefix + "*").Single();
        var growing = PageCache.Of(temp);
        growing.Cached.Should().BeGreaterThan(0, "the file was just written, so the cache holds it");
        growing.NotOnDisk.Should().BeLessThanOrEqualTo((ulong)((FileBytes - (1 << 20)) / Environment.SystemPageSize),
            "the first mebibyte at least was flushed while the file grew, before any commit");

        await writer.CommitAsync();

        var file = Path.Combine(_folder.Root, "parts/growing.bin");
        File.ReadAllBytes(file).Should().Equal(bytes);
        PageCache.Of(file).NotOnDisk.Should().Be(0);
    }

    [Fact]
    public async Task CommitAsync_FlushWhileGrowingFailed_FailsNamingTheFileAndPublishesNothing()
    {
        var destination = new LocalFolderDestination("local", _folder.Root)
        {
            FlushEvery = 1 << 20,
            FlushWhileGrowing = _ => throw new IOException("Input/output error"),
        };
        var writer = await destination.OpenWriteAsync("parts/lost.bin");
        await WriteInPiecesAsync(writer, RandomNumberGenerator.GetBytes(1 << 20));

        var commit = () => writer.CommitAsync().AsTask();

        (await commit.Should().ThrowAsync<DestinationException>())
            .Which.Message.Should().Contain("Destination 'local'").And.Contain("'lost.bin'").And.Contain("Input/output error");
        await writer.DisposeAsync();
        _folder.ListAllFiles().Should().BeEmpty("a file whose bytes may not be on the disk is not published, and its temp file is removed");
    }

    [Fact]
    public async Task WaitForFlushAsync_FlushWhileGrowingFailed_EveryLaterFlushFailsToo()
    {
        var path = Path.Combine(_folder.Root, "failing.bin");
        var flushes = 0;
        await using var stream = new LocalFileStream(
            () => File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write),
            flushEvery: 1024,
            flush: _ =>
            {
                Interlocked.Increment(ref flushes);
                throw new IOException("Input/output error");
            });

        stream.Write(new byte[1024]);
        var wait = () => stream.WaitForFlushAsync(CancellationToken.None).AsTask();
        var write = () => stream.Write(new byte[1024]);

        await wait.Should().ThrowAsync<IOException>().WithMessage("Input/output error");
        // The kernel reports a lost write-back to one flush only; a later one must not pass for a good file.
        await wait.Should().ThrowAsync<IOException>().WithMessage("Input/output error");
        write.Should().Throw<IOException>().WithMessage("Input/output error");
        flushes.Should().Be(1);
    }

    [Fact]
    public async Task DisposeAsync_UncommittedFileWithFlushesWhileItGrew_RemovesTheTempFile()
    {
        var destination = new LocalFolderDestination("local", _folder.Root) { FlushEvery = 64 << 10 };
        var writer = await destination.OpenWriteAsync("parts/abandoned.bin");
        await WriteInPiecesAsync(writer, RandomNumberGenerator.GetBytes(FileBytes));
        _folder.ListAllFiles().Should().ContainSingle("the temp file exists until the writer is disposed");

        await writer.DisposeAsync();

        _folder.ListAllFiles().Should().BeEmpty("a writer disposed without commit deletes its temp file, flushes or not");
    }

    [Fact]
    public async Task TestConnectionAsync_FlushingDestination_SaysTheFolderCanBeFlushed()
    {
        var flushing = await new LocalFolderDestination("local", _folder.Root).TestConnectionAsync();
        var scratch = await new LocalFolderDestination("local", _folder.Root, flushToDisk: false).TestConnectionAsync();

        flushing.Succeeded.Should().BeTrue();
        flushing.Message.Should().Contain("can be flushed to the disk");
        scratch.Succeeded.Should().BeTrue();
        scratch.Message.Should().NotContain("flushed");
        _folder.ListAllFiles().Should().BeEmpty("the probe is removed");
    }

    [Theory]
    [InlineData("yes")]
    [InlineData("1x")]
    public async Task GetDestination_FlushToDiskNotABoolean_ThrowsNamingTheSettingAndValue(string value)
    {
        var act = () => DeclareAsync(value);

        (await act.Should().ThrowAsync<OptionsValidationException>())
            .Which.Message.Should().Contain("Destination 'drop'").And.Contain("'flushToDisk'").And.Contain($"'{value}'");
    }

    [Fact]
    public void Providers_LocalFolder_ListsFlushToDiskWithItsDefault()
    {
        var services = new ServiceCollection();
        services.AddExports();
        using var provider = services.BuildServiceProvider();

        var setting = provider.GetRequiredService<IDestinationCatalog>().Providers.Single(p => p.Type == "local")
            .Settings.Single(s => s.Name == "flushToDisk");

        setting.IsRequired.Should().BeFalse();
        setting.DefaultValue.Should().Be("true");
        setting.Description.Should().Contain("power cut");
    }

    private async Task<IDestination> DeclareAsync(string? flushToDisk)
    {
        var services = new ServiceCollection();
        services.AddExports().AddLocalFolderDestination("drop", _folder.Root, d =>
        {
            if (flushToDisk is not null)
            {
                d.Settings["flushToDisk"] = flushToDisk;
            }
        });
        _provider = services.BuildServiceProvider();
        return await _provider.GetRequiredService<IDestinationCatalog>().GetDestinationAsync("drop");
    }

    private async Task<CacheState> WriteAndCommitAsync(IDestination destination, string path)
    {
        var bytes = RandomNumberGenerator.GetBytes(FileBytes);
        await using (var writer = await destination.OpenWriteAsync(path))
        {
            await WriteInPiecesAsync(writer, bytes);
            await writer.CommitAsync();
        }

        var file = Path.Combine(_folder.Root, path);
        File.ReadAllBytes(file).Should().Equal(bytes);
        return PageCache.Of(file);
    }

    /// <summary>In pieces of 256 KiB, as an export writes.</summary>
    private static async Task WriteInPiecesAsync(IDestinationWriter writer, byte[] bytes)
    {
        for (var offset = 0; offset < bytes.Length; offset += 256 << 10)
        {
            await writer.Stream.WriteAsync(bytes.AsMemory(offset, 256 << 10));
        }
    }
}
