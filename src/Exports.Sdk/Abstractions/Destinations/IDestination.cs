namespace Exports.Sdk;

/// <summary>
/// A configured place files go to (a folder, a bucket prefix, a container, a remote directory). Created by an
/// <see cref="IDestinationProvider"/> from a <see cref="DestinationDefinition"/>.
/// </summary>
/// <remarks>
/// Paths are relative to the destination's root and use <c>/</c>; they are checked by
/// <see cref="DestinationPath.Validate"/> before they reach a destination. Implementations throw
/// <see cref="DestinationException"/> for storage failures (with <see cref="DestinationException.IsTransient"/>
/// set when a retry may help) and let <see cref="OperationCanceledException"/> through unchanged.
/// </remarks>
public interface IDestination
{
    /// <summary>The configured destination name.</summary>
    string Name { get; }

    /// <summary>Starts writing a file. It is invisible until the writer is committed.</summary>
    /// <param name="path">The file path relative to the root, e.g. <c>exports/name.csv.gz</c>.</param>
    /// <param name="cancellationToken">Cancels opening.</param>
    /// <returns>The writer.</returns>
    ValueTask<IDestinationWriter> OpenWriteAsync(string path, CancellationToken cancellationToken = default);

    /// <summary>Lists committed files whose path starts with a prefix (never temporary or uncommitted data).</summary>
    /// <param name="prefix">A path prefix, or empty for all files.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The files.</returns>
    IAsyncEnumerable<DestinationFile> ListAsync(string prefix, CancellationToken cancellationToken = default);

    /// <summary>Deletes a committed file; does nothing when there is none.</summary>
    /// <param name="path">The file path relative to the root.</param>
    /// <param name="cancellationToken">Cancels the deletion.</param>
    /// <returns>A task that completes when the file is gone.</returns>
    ValueTask DeleteAsync(string path, CancellationToken cancellationToken = default);

    /// <summary>
    /// Checks credentials and write access with the fewest permissions the store allows, leaving no file behind.
    /// </summary>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>What succeeded or which permission is missing.</returns>
    ValueTask<ConnectionTestResult> TestConnectionAsync(CancellationToken cancellationToken = default);
}
