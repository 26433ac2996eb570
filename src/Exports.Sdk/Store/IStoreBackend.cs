namespace Exports.Sdk;

/// <summary>
/// Where a built-in store keeps serialized records. <see cref="ExportStoreCore"/> puts the rules (ETags, run claims)
/// on top, so every backend behaves the same.
/// </summary>
internal interface IStoreBackend
{
    /// <summary>Takes the store's exclusive lock (across threads, and across processes where the backend can).</summary>
    ValueTask<IAsyncDisposable> LockAsync(CancellationToken cancellationToken);

    ValueTask<byte[]?> ReadAsync(StoreKey key, CancellationToken cancellationToken);

    /// <summary>Writes atomically: readers see the old or the new bytes, never a mix.</summary>
    ValueTask WriteAsync(StoreKey key, byte[] value, CancellationToken cancellationToken);

    ValueTask DeleteAsync(StoreKey key, CancellationToken cancellationToken);

    /// <summary>Lists the keys of one kind (for runs and state: of one dataflow, or of every dataflow when null).</summary>
    ValueTask<IReadOnlyList<StoreKey>> ListAsync(StoreRecordKind kind, string? dataflowId, CancellationToken cancellationToken);

    /// <summary>Lists the keys of one kind as <see cref="ListAsync"/> does, each with its record's current version.</summary>
    ValueTask<IReadOnlyList<(StoreKey Key, StoreVersion Version)>> ListVersionsAsync(StoreRecordKind kind, string? dataflowId, CancellationToken cancellationToken);
}
