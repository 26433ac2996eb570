namespace Exports.Sdk;

/// <summary>
/// Optional for an <see cref="IDestination"/>: moves a committed file to another path, replacing the file there, so a
/// reader of the target finds the old file or the new one, never part of one (a rename, or a server-side copy followed
/// by a delete of the source). Exports whose file names have no date or time part need it: they stage a run's files
/// under run-scoped names and publish the set only once every file and the manifest are committed, so a failed run
/// leaves the previous files as they were.
/// </summary>
public interface IDestinationMove
{
    /// <summary>Moves <paramref name="sourcePath"/> over <paramref name="targetPath"/>.</summary>
    /// <param name="sourcePath">A committed file, relative to the destination's root.</param>
    /// <param name="targetPath">Where it goes, relative to the root; a file there is replaced.</param>
    /// <param name="cancellationToken">Cancels the move.</param>
    /// <returns>A task that completes when the target holds the file and the source is gone.</returns>
    ValueTask MoveAsync(string sourcePath, string targetPath, CancellationToken cancellationToken = default);
}
