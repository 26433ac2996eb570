using Exports.Sdk;

namespace CustomDestination.ChunkStore;

/// <summary>Each 1 MiB part becomes a chunk under <c>.chunks/</c>; the commit joins them under the final name in one rename.</summary>
internal sealed class ChunkStoreWriter(string root, string path) : BufferedPartWriter(path, partSize: 1 << 20)
{
    public const string Chunks = ".chunks/";
    private readonly string _upload = Path.Combine(root, Chunks, Guid.NewGuid().ToString("N"));

    protected override async ValueTask UploadPartAsync(int partNumber, ReadOnlyMemory<byte> part, CancellationToken cancellationToken) =>
        await File.WriteAllBytesAsync(Path.Combine(Directory.CreateDirectory(_upload).FullName, $"{partNumber}"), part, cancellationToken);

    protected override async ValueTask CompleteAsync(int partNumber, ReadOnlyMemory<byte> lastPart, CancellationToken cancellationToken)
    {
        await UploadPartAsync(partNumber, lastPart, cancellationToken);
        await using (var joined = File.Create(Path.Combine(_upload, "0")))
        {
            for (var i = 1; i <= partNumber; i++)
            {
                await using var chunk = File.OpenRead(Path.Combine(_upload, $"{i}"));
                await chunk.CopyToAsync(joined, cancellationToken);
            }
        }

        var target = Path.Combine(root, FilePath);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Move(Path.Combine(_upload, "0"), target, overwrite: true);
        await AbortAsync(partNumber);
    }

    protected override ValueTask AbortAsync(int partsSent)
    {
        if (Directory.Exists(_upload))
        {
            Directory.Delete(_upload, recursive: true);
        }

        return ValueTask.CompletedTask;
    }
}
