using System.Runtime.CompilerServices;
using Exports.Sdk;

namespace CustomDestination.ChunkStore;

/// <summary>A store that takes files in chunks (like a multipart upload API); its files are plain files under a folder.</summary>
public sealed class ChunkStoreDestination(string name, string root) : DestinationBase(name)
{
    public override ValueTask<IDestinationWriter> OpenWriteAsync(string path, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IDestinationWriter>(new ChunkStoreWriter(root, path));

    public override async IAsyncEnumerable<DestinationFile> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var files = Directory.Exists(root) ? Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories) : [];
        foreach (var path in files.Select(f => Path.GetRelativePath(root, f).Replace('\\', '/')).Where(p => !p.StartsWith(ChunkStoreWriter.Chunks, StringComparison.Ordinal) && p.StartsWith(prefix, StringComparison.Ordinal)))
        {
            yield return new DestinationFile(path, new FileInfo(Path.Combine(root, path)).Length);
        }
    }

    public override ValueTask DeleteAsync(string path, CancellationToken cancellationToken = default)
    {
        File.Delete(Path.Combine(root, path));
        return ValueTask.CompletedTask;
    }
}
