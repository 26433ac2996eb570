namespace Exports.Sdk;

/// <summary>
/// Optional for an <see cref="IDestinationWriter"/> that keeps uncommitted data in the store (a temp file, a multipart
/// upload): names that data, so the SDK records it with the run and removes it later through
/// <see cref="IPendingWriteCleanup"/> when the writer could not (its process was killed, or the server was away when it
/// aborted).
/// </summary>
public interface IPendingWrite
{
    /// <summary>
    /// An opaque token for the uncommitted data (a temp file's name, an upload id); null until the writer has named
    /// it, and again once the data was committed or removed. A token known when the writer opens is recorded before
    /// anything is written, so a writer that stores nothing until its first write is never left unrecorded.
    /// </summary>
    string? PendingToken { get; }
}
