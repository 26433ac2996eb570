namespace Exports.Sdk;

/// <summary>
/// One file being written to a destination. Write to <see cref="Stream"/>, then call <see cref="CommitAsync"/>
/// to make the file visible under its final name. Disposing a writer that was not committed aborts it:
/// nothing becomes visible and temporary data (temp files, multipart uploads, staged blocks) is removed.
/// </summary>
public interface IDestinationWriter : IAsyncDisposable
{
    /// <summary>
    /// The forward-only stream to write the file's bytes to. Callers never read <c>Length</c> or
    /// <c>Position</c>, never seek and never dispose it; the writer owns it.
    /// </summary>
    Stream Stream { get; }

    /// <summary>Completes the file and publishes it atomically under its final name, replacing any file there.</summary>
    /// <param name="cancellationToken">Cancels the commit; the file then stays invisible.</param>
    /// <returns>A task that completes when the file is visible.</returns>
    ValueTask CommitAsync(CancellationToken cancellationToken = default);
}
