namespace Exports.Sdk;

/// <summary>
/// Optional for an <see cref="IDestination"/> whose writers stage data where it takes room (temporary files): removes
/// what writers of a process that was killed mid-write left behind. Called when a host starts and finds runs a dead
/// host left active.
/// </summary>
public interface IAbandonedWriteCleanup
{
    /// <summary>Removes staged data that no writer has touched since <paramref name="untouchedSince"/>.</summary>
    /// <param name="untouchedSince">Staged data written to after this instant may belong to a live writer and is kept.</param>
    /// <param name="cancellationToken">Cancels the cleanup.</param>
    /// <returns>How many items were removed.</returns>
    ValueTask<int> RemoveAbandonedWritesAsync(DateTimeOffset untouchedSince, CancellationToken cancellationToken = default);
}
