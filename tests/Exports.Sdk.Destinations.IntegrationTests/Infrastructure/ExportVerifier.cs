using System.IO.Compression;
using System.Security.Cryptography;

namespace Exports.Sdk.Destinations.IntegrationTests.Infrastructure;

/// <summary>Reads a run's manifest and files back from the store and checks every byte against the manifest.</summary>
public static class ExportVerifier
{
    /// <summary>
    /// Checks that the manifest lists exactly the run's files and that each stored file has the manifest's size and
    /// SHA-256 and, decompressed, the manifest's row count (plus the header). Returns the manifest.
    /// </summary>
    /// <param name="result">The run.</param>
    /// <param name="openRead">Opens a stored file (path relative to the destination root) straight from the store.</param>
    public static async Task<ExportManifest> VerifyAsync(ExportRunResult result, Func<string, Task<Stream>> openRead)
    {
        result.Status.Should().Be(ExportRunStatus.Succeeded, string.Join("; ", result.Errors));
        result.ManifestPath.Should().NotBeNull();
        byte[] manifestBytes;
        await using (var manifestStream = await openRead(result.ManifestPath!))
        {
            using var copy = new MemoryStream();
            await manifestStream.CopyToAsync(copy);
            manifestBytes = copy.ToArray();
        }

        var manifest = ManifestWriter.Read(manifestBytes);
        manifest.FlowRunId.Should().Be(result.RunId);
        manifest.ExportResults.Select(f => f.SinkPath).Should().Equal(result.Files.Select(f => f.Path));
        foreach (var file in manifest.ExportResults)
        {
            await using var stored = await openRead(file.SinkPath);
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var counting = new HashingReadStream(stored, sha);
            long lines;
            if (file.Name.EndsWith(".gz", StringComparison.Ordinal))
            {
                await using var gzip = new GZipStream(counting, CompressionMode.Decompress);
                lines = await CountLinesAsync(gzip);
            }
            else
            {
                lines = await CountLinesAsync(counting);
            }

            // Drain what the decompressor did not need (none for a well-formed file), so the hash covers every byte.
            await counting.CopyToAsync(Stream.Null);
            counting.BytesRead.Should().Be(file.Size, $"{file.SinkPath} is stored with the manifest's size");
            Convert.ToHexStringLower(sha.GetHashAndReset()).Should().Be(file.Sha256, $"{file.SinkPath} is stored byte for byte");
            lines.Should().Be(file.Rows + 1, $"{file.SinkPath} holds a header and the manifest's rows");
        }

        return manifest;
    }

    private static async Task<long> CountLinesAsync(Stream stream)
    {
        var buffer = new byte[1 << 16];
        long lines = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            lines += buffer.AsSpan(0, read).Count((byte)'\n');
        }

        return lines;
    }

    private sealed class HashingReadStream(Stream inner, IncrementalHash hash) : Stream
    {
        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken);
            hash.AppendData(buffer.Span[..read]);
            BytesRead += read;
            return read;
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = inner.Read(buffer, offset, count);
            hash.AppendData(buffer.AsSpan(offset, read));
            BytesRead += read;
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
