using Microsoft.Win32.SafeHandles;

namespace Exports.Sdk;

/// <summary>
/// The write-only stream of a local temp file. Writes go straight to the file on the calling thread: local writes
/// land in the page cache and return at once, and .NET runs file writes on a pool thread on Linux anyway, so handing
/// each one to another thread would only add a thread switch per write while the export formats the next rows.
/// </summary>
internal sealed class LocalFileStream(SafeFileHandle handle) : WriteOnlyStream
{
    private long _position;

    public override bool CanWrite => !handle.IsClosed;

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        RandomAccess.Write(handle, buffer, _position);
        _position += buffer.Length;
    }

    public override Task FlushAsync(CancellationToken cancellationToken) =>
        cancellationToken.IsCancellationRequested ? Task.FromCanceled(cancellationToken) : Task.CompletedTask;

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            handle.Dispose();
        }

        base.Dispose(disposing);
    }
}
