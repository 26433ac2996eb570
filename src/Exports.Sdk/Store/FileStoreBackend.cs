using System.Collections.Concurrent;
using System.Text;

namespace Exports.Sdk;

/// <summary>
/// One JSON file per record under a folder. Writes go to a temp file that is flushed to disk and renamed over the
/// old one (a crash leaves the previous version or the new one, never a partial file), then the folder is flushed, so
/// a write that returned survives a power cut. A lock file serialises writers across processes.
/// </summary>
internal sealed class FileStoreBackend : IStoreBackend
{
    private const string TempMarker = ".tmp-";

    /// <summary>How long after its write a file's time and length may still be given to a later write (see <see cref="StoreVersion.Settled"/>).</summary>
    private static readonly TimeSpan UnsettledFor = TimeSpan.FromSeconds(3);
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> ProcessLocks = new(StringComparer.Ordinal);

    private readonly string _root;
    private readonly SemaphoreSlim _processLock;
    private readonly TimeProvider _timeProvider;

    public FileStoreBackend(string rootPath, TimeProvider timeProvider)
    {
        _root = Path.GetFullPath(rootPath);
        Directory.CreateDirectory(_root);
        // Stores over the same folder in one process share a lock, as the lock file alone cannot be taken twice here.
        _processLock = ProcessLocks.GetOrAdd(_root, _ => new SemaphoreSlim(1, 1));
        _timeProvider = timeProvider;
    }

    public async ValueTask<IAsyncDisposable> LockAsync(CancellationToken cancellationToken)
    {
        await _processLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (true)
            {
                try
                {
                    var file = new FileStream(Path.Combine(_root, ".lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                    return new Release(_processLock, file);
                }
                catch (IOException)
                {
                    // Another process holds it.
                    await Task.Delay(TimeSpan.FromMilliseconds(20), _timeProvider, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch
        {
            _processLock.Release();
            throw;
        }
    }

    public async ValueTask<byte[]?> ReadAsync(StoreKey key, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllBytesAsync(PathOf(key), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or PathTooLongException)
        {
            // Too long a name was never written, so a lookup by it (an id from a URL) finds nothing.
            return null;
        }
    }

    public async ValueTask WriteAsync(StoreKey key, byte[] value, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + TempMarker + Guid.NewGuid().ToString("N");
        try
        {
            var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous);
            await using (stream.ConfigureAwait(false))
            {
                await stream.WriteAsync(value, cancellationToken).ConfigureAwait(false);
                // On disk before the rename, so the rename never exposes an empty or partial file after a crash.
                stream.Flush(flushToDisk: true);
            }

            using var folder = DiskFlush.OpenFolder(Path.GetDirectoryName(path)!);
            File.Move(temp, path, overwrite: true);
            folder?.Flush();
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    public ValueTask DeleteAsync(StoreKey key, CancellationToken cancellationToken)
    {
        TryDelete(PathOf(key));
        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<StoreKey>> ListAsync(StoreRecordKind kind, string? dataflowId, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<StoreKey>>([.. List(kind, dataflowId).Select(f => f.Key)]);

    public ValueTask<IReadOnlyList<(StoreKey Key, StoreVersion Version)>> ListVersionsAsync(StoreRecordKind kind, string? dataflowId, CancellationToken cancellationToken)
    {
        // The file system's clock, not the store's (a test's TimeProvider may be anywhere): it is what stamped the files.
        var settledBefore = TimeProvider.System.GetUtcNow().UtcDateTime - UnsettledFor;
        var versions = new List<(StoreKey, StoreVersion)>();
        foreach (var (key, file) in List(kind, dataflowId))
        {
            try
            {
                // A write renames a new file over the old one: its time and length are the new version's.
                var written = file.LastWriteTimeUtc;
                versions.Add((key, new StoreVersion(written.Ticks, file.Length, written < settledBefore)));
            }
            catch (FileNotFoundException)
            {
                // Deleted since it was listed.
            }
        }

        return ValueTask.FromResult<IReadOnlyList<(StoreKey, StoreVersion)>>(versions);
    }

    private IEnumerable<(StoreKey Key, FileInfo File)> List(StoreRecordKind kind, string? dataflowId)
    {
        if (IsTopLevel(kind))
        {
            foreach (var file in Files(Path.Combine(_root, FolderOf(kind))))
            {
                yield return (new StoreKey(kind, Decode(Path.GetFileNameWithoutExtension(file.Name))), file);
            }

            yield break;
        }

        var kindRoot = Path.Combine(_root, FolderOf(kind));
        IEnumerable<string> folders = dataflowId is not null ? [Path.Combine(kindRoot, Encode(dataflowId))]
            : Directory.Exists(kindRoot) ? Directory.EnumerateDirectories(kindRoot) : [];
        foreach (var folder in folders)
        {
            var owner = dataflowId ?? Decode(Path.GetFileName(folder));
            foreach (var file in Files(folder))
            {
                yield return (new StoreKey(kind, owner, Decode(Path.GetFileNameWithoutExtension(file.Name))), file);
            }
        }
    }

    private static IEnumerable<FileInfo> Files(string folder) =>
        Directory.Exists(folder)
            ? new DirectoryInfo(folder).EnumerateFiles("*.json").Where(f => !f.Name.Contains(TempMarker, StringComparison.Ordinal))
            : [];

    private static string FolderOf(StoreRecordKind kind) => kind switch
    {
        StoreRecordKind.Dataflow => "dataflows",
        StoreRecordKind.Destination => "destinations",
        StoreRecordKind.DatasetExport => "dataset-exports",
        StoreRecordKind.Run => "runs",
        _ => "state",
    };

    /// <summary>Exports and destinations are one file each in their folder; runs and states are grouped by export.</summary>
    private static bool IsTopLevel(StoreRecordKind kind) => kind is StoreRecordKind.Dataflow or StoreRecordKind.Destination or StoreRecordKind.DatasetExport;

    private string PathOf(StoreKey key) => IsTopLevel(key.Kind)
        ? Path.Combine(_root, FolderOf(key.Kind), Encode(key.DataflowId) + ".json")
        : Path.Combine(_root, FolderOf(key.Kind), Encode(key.DataflowId), Encode(key.ItemId!) + ".json");

    /// <summary>Ids may hold any character; file names get letters, digits, '-' and '_' and ~XX escapes for the rest.</summary>
    private static string Encode(string id)
    {
        var builder = new StringBuilder(id.Length);
        foreach (var b in Encoding.UTF8.GetBytes(id))
        {
            if (b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9' or (byte)'-' or (byte)'_')
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('~').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    private static string Decode(string name)
    {
        var bytes = new List<byte>(name.Length);
        for (var i = 0; i < name.Length; i++)
        {
            if (name[i] == '~' && i + 2 < name.Length)
            {
                bytes.Add(Convert.ToByte(name.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                bytes.Add((byte)name[i]);
            }
        }

        return Encoding.UTF8.GetString([.. bytes]);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
    }

    private sealed class Release(SemaphoreSlim semaphore, FileStream file) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await file.DisposeAsync().ConfigureAwait(false);
            semaphore.Release();
        }
    }
}
