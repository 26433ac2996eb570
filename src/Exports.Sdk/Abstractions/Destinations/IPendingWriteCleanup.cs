namespace Exports.Sdk;

/// <summary>
/// Optional for an <see cref="IDestination"/> whose writers report <see cref="IPendingWrite"/>: removes the uncommitted
/// data of one write that was never committed or aborted. Called by the next run of the export, or a host's start,
/// with what a failed or dead run left on record.
/// </summary>
public interface IPendingWriteCleanup
{
    /// <summary>Removes the uncommitted data of a write; does nothing when it is already gone.</summary>
    /// <param name="path">The path the writer was opened with.</param>
    /// <param name="pendingToken">The writer's <see cref="IPendingWrite.PendingToken"/>.</param>
    /// <param name="cancellationToken">Cancels the removal.</param>
    /// <returns>A task that completes when the data is gone.</returns>
    ValueTask RemovePendingWriteAsync(string path, string pendingToken, CancellationToken cancellationToken = default);
}
