using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Exports.Sdk.Testing;

/// <summary>
/// A destination that keeps committed files in memory. It records how many writers were opened and aborted, so tests
/// can check that nothing was left half-written.
/// </summary>
public sealed class InMemoryDestination : IDestination, IDestinationMove
{
    private readonly ConcurrentDictionary<string, byte[]> _files = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, MemoryStream> _pending = new(StringComparer.Ordinal);
    private int _open;
    private int _aborted;

    /// <summary>Creates the destination.</summary>
    /// <param name="name">The destination name.</param>
    public InMemoryDestination(string name = "memory") => Name = name;

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>The committed files by path.</summary>
    public IReadOnlyDictionary<string, byte[]> Files => _files;

    /// <summary>Writers opened and neither committed nor disposed yet.</summary>
    public int OpenWriters => Volatile.Read(ref _open);

    /// <summary>Writers disposed without commit.</summary>
    public int AbortedWriters => Volatile.Read(ref _aborted);

    /// <summary>The bytes written so far to an open, uncommitted file (0 when none is open at that path).</summary>
    /// <param name="path">The path the file was opened with.</param>
    /// <returns>The byte count.</returns>
    public long GetPendingBytes(string path) => _pending.TryGetValue(path, out var buffer) ? buffer.Length : 0;

    /// <inheritdoc />
    public ValueTask<IDestinationWriter> OpenWriteAsync(string path, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        DestinationPath.Validate(path, Name);
        Interlocked.Increment(ref _open);
        return ValueTask.FromResult<IDestinationWriter>(new Writer(this, path));
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<DestinationFile> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var (path, bytes) in _files.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (path.StartsWith(prefix ?? "", StringComparison.Ordinal))
            {
                yield return new DestinationFile(path, bytes.Length);
            }
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask DeleteAsync(string path, CancellationToken cancellationToken = default)
    {
        _files.TryRemove(path, out _);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask MoveAsync(string sourcePath, string targetPath, CancellationToken cancellationToken = default)
    {
        DestinationPath.Validate(sourcePath, Name);
        DestinationPath.Validate(targetPath, Name);
        if (!_files.TryRemove(sourcePath, out var bytes))
        {
            throw new DestinationException($"Destination '{Name}': cannot move '{sourcePath}': there is no such file.", isTransient: false);
        }

        _files[targetPath] = bytes;
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<ConnectionTestResult> TestConnectionAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(ConnectionTestResult.Success($"Destination '{Name}' is in memory."));

    private sealed class Writer : IDestinationWriter
    {
        private readonly InMemoryDestination _owner;
        private readonly string _path;
        private readonly MemoryStream _buffer = new();
        private bool _done;

        public Writer(InMemoryDestination owner, string path)
        {
            _owner = owner;
            _path = path;
            _owner._pending[_path] = _buffer;
        }

        public Stream Stream => _buffer;

        public ValueTask CommitAsync(CancellationToken cancellationToken = default)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ObjectDisposedException.ThrowIf(_done, this);
            _owner._files[_path] = _buffer.ToArray();
            _owner._pending.TryRemove(new KeyValuePair<string, MemoryStream>(_path, _buffer));
            _done = true;
            Interlocked.Decrement(ref _owner._open);
            return ValueTask.CompletedTask;
        }

        public ValueTask DisposeAsync()
        {
            if (!_done)
            {
                _owner._pending.TryRemove(new KeyValuePair<string, MemoryStream>(_path, _buffer));
                _done = true;
                Interlocked.Decrement(ref _owner._open);
                Interlocked.Increment(ref _owner._aborted);
            }

            return _buffer.DisposeAsync();
        }
    }
}
