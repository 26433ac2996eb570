using System.Diagnostics;
using System.IO.Compression;

namespace Exports.Sdk.Tests.Writing;

public class BlockGzipStreamTests
{
    [Theory]
    [InlineData(0, 1024)]
    [InlineData(1, 1024)]
    [InlineData(1024, 1024)]
    [InlineData(1025, 1024)]
    [InlineData(3 * 1024 * 1024 + 17, 64 * 1024)]
    public async Task WriteAsync_AnySize_DecompressesToTheInput(int size, int blockSize)
    {
        var input = Data(size);
        using var output = new MemoryStream();
        await using (var gzip = new BlockGzipStream(output, CompressionLevel.Fastest, blockSize: blockSize, maxInFlight: 3))
        {
            // Uneven writes cross block boundaries.
            var random = new Random(size);
            for (var offset = 0; offset < input.Length;)
            {
                var take = Math.Min(input.Length - offset, random.Next(1, 3 * blockSize));
                await gzip.WriteAsync(input.AsMemory(offset, take));
                offset += take;
            }
        }

        Decompress(output.ToArray()).Should().Equal(input);
    }

    [Fact]
    public async Task Output_PassesGzipTest_AndFlushInTheMiddleKeepsOrder()
    {
        var input = Data(2 * 1024 * 1024);
        var path = Path.Combine(Path.GetTempPath(), $"parallel-{Guid.NewGuid():N}.gz");
        try
        {
            await using (var file = File.Create(path))
            await using (var gzip = new BlockGzipStream(file, CompressionLevel.Fastest, blockSize: 256 * 1024))
            {
                await gzip.WriteAsync(input.AsMemory(0, 1_000_000));
                await gzip.FlushAsync();
                await gzip.WriteAsync(input.AsMemory(1_000_000));
            }

            Decompress(await File.ReadAllBytesAsync(path)).Should().Equal(input);
            using var process = Process.Start(new ProcessStartInfo("gzip", ["-t", path]) { RedirectStandardError = true })!;
            var errors = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            process.ExitCode.Should().Be(0, errors);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData(CompressionLevel.Fastest)]
    [InlineData(CompressionLevel.Optimal)]
    public async Task WriteAsync_NotParallel_WritesTheSameBytesAsParallel(CompressionLevel level)
    {
        var input = Data((3 * 1024 * 1024) + 5);
        async Task<byte[]> Compress(bool parallel)
        {
            using var output = new MemoryStream();
            await using (var gzip = new BlockGzipStream(output, level, parallel, blockSize: 256 * 1024))
            {
                for (var offset = 0; offset < input.Length; offset += 100_000)
                {
                    await gzip.WriteAsync(input.AsMemory(offset, Math.Min(100_000, input.Length - offset)));
                }
            }

            return output.ToArray();
        }

        var inline = await Compress(parallel: false);
        Decompress(inline).Should().Equal(input);
        inline.Should().Equal(await Compress(parallel: true));
    }

    [Fact]
    public async Task SettleAsync_WritesTheBlocksInFlight_AndKeepsTheOpenBlockOpen()
    {
        const int BlockSize = 64 * 1024;
        var input = Data((5 * BlockSize) + 1000);
        async Task<byte[]> Compress(bool settle)
        {
            using var output = new MemoryStream();
            await using (var gzip = new BlockGzipStream(output, CompressionLevel.Fastest, blockSize: BlockSize, maxInFlight: 8))
            {
                await gzip.WriteAsync(input);
                if (settle)
                {
                    await gzip.SettleAsync(CancellationToken.None);
                    gzip.CompressedInput.Should().Be(5 * BlockSize, "every whole block is compressed and written");
                    gzip.BytesIn.Should().Be(input.Length);
                    output.Length.Should().Be(gzip.CompressedOutput);
                }
            }

            return output.ToArray();
        }

        var settled = await Compress(settle: true);
        Decompress(settled).Should().Equal(input);
        settled.Should().Equal(await Compress(settle: false), "no block was ended early");
    }

    [Fact]
    public void Write_Synchronous_CompressesOnTheCallingThread()
    {
        var input = Data(300_000);
        using var output = new MemoryStream();
        using (var gzip = new BlockGzipStream(output, CompressionLevel.Optimal, blockSize: 64 * 1024))
        {
            gzip.Write(input, 0, input.Length);
        }

        Decompress(output.ToArray()).Should().Equal(input);
    }

    private static byte[] Data(int size)
    {
        // Compressible but not trivial: CSV-like text with random numbers.
        var random = new Random(42);
        var bytes = new byte[size];
        for (var i = 0; i < size; i++)
        {
            bytes[i] = i % 40 == 39 ? (byte)'\n' : (byte)(random.Next(10) < 7 ? 'a' + random.Next(6) : '0' + random.Next(10));
        }

        return bytes;
    }

    private static byte[] Decompress(byte[] gz)
    {
        using var input = new GZipStream(new MemoryStream(gz), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }
}
