using System.Collections.Concurrent;

namespace Exports.Sdk;

/// <summary>Keeps serialized records in a dictionary.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA2213:Disposable fields should be disposed", Justification = "A SemaphoreSlim whose wait handle is never used holds nothing to dispose.")]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "A SemaphoreSlim whose wait handle is never used holds nothing to dispose.")]
internal sealed class InMemoryStoreBackend : IStoreBackend
{
    private readonly ConcurrentDictionary<StoreKey, (byte[] Bytes, long Version)> _records = new();
    private readonly SemaphoreSlim _lock = new(1, 1);
    private long _writes;

    public async ValueTask<IAsyncDisposable> LockAsync(CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Release(_lock);
    }

    public ValueTask<byte[]?> ReadAsync(StoreKey key, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_records.TryGetValue(key, out var record) ? record.Bytes : null);

    public ValueTask WriteAsync(StoreKey key, byte[] value, CancellationToken cancellationToken)
    {
        _records[key] = (value, Interlocked.Increment(ref _writes));
        return ValueTask.CompletedTask;
    }

    public ValueTask DeleteAsync(StoreKey key, CancellationToken cancellationToken)
    {
        _records.TryRemove(key, out _);
        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<StoreKey>> ListAsync(StoreRecordKind kind, string? dataflowId, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<StoreKey>>(
            [.. _records.Keys.Where(k => k.Kind == kind && (dataflowId is null || k.DataflowId == dataflowId))]);

    public ValueTask<IReadOnlyList<(StoreKey Key, StoreVersion Version)>> ListVersionsAsync(StoreRecordKind kind, string? dataflowId, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<(StoreKey, StoreVersion)>>(
            [.. _records.Where(r => r.Key.Kind == kind && (dataflowId is null || r.Key.DataflowId == dataflowId))
                .Select(r => (r.Key, new StoreVersion(r.Value.Version, r.Value.Bytes.Length)))]);

    private sealed class Release(SemaphoreSlim semaphore) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            semaphore.Release();
            return ValueTask.CompletedTask;
        }
    }
}
