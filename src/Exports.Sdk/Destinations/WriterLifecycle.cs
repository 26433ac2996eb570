namespace Exports.Sdk;

/// <summary>
/// The states of a destination writer, shared by the writer bases: open, then committed or failed (after which every
/// call throws), and disposed once.
/// </summary>
internal sealed class WriterLifecycle
{
    private bool _failed;

    public bool Committed { get; private set; }

    public bool Disposed { get; private set; }

    public void MarkCommitted() => Committed = true;

    public void MarkFailed() => _failed = true;

    /// <summary>True the first time, when the writer must release what it holds.</summary>
    public bool BeginDispose()
    {
        var first = !Disposed;
        Disposed = true;
        return first;
    }

    public void ThrowIfNotWritable(object writer)
    {
        ObjectDisposedException.ThrowIf(Disposed, writer);
        if (Committed)
        {
            throw new InvalidOperationException("The file was already committed.");
        }

        if (_failed)
        {
            // A stream error, as callers expect when they flush a broken stream (e.g. a gzip trailer on abort).
            throw new IOException("An earlier write or commit of this file failed; the upload is abandoned.");
        }
    }
}
