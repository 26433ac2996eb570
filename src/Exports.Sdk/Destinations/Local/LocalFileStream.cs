using Microsoft.Win32.SafeHandles;

namespace Exports.Sdk;

/// <summary>
/// The write-only stream of a local temp file. Writes go straight to the file on the calling thread: local writes
/// land in the page cache and return at once, and .NET runs file writes on a pool thread on Linux anyway, so handing
/// each one to another thread would only add a thread switch per write while the export formats the next rows.
/// </summary>
/// <remarks>
/// The file is created by the first write (or <see cref="EnsureCreated"/>), not when the stream is: a run records the
/// temp file's name as soon as the writer is open, so the record always comes before the file, and a host killed at
/// any moment leaves no temp file its run did not name.
/// </remarks>
internal sealed class LocalFileStream(Func<SafeFileHandle> create) : WriteOnlyStream
{
    private SafeFileHandle? _handle;
    private bool _disposed;
    private long _position;

    public override bool CanWrite => !_disposed;

    /// <summary>Creates the file if no write has yet (an empty part is committed too).</summary>
    public SafeFileHandle EnsureCreated()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _handle ??= create();
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        RandomAccess.Write(_handle ?? EnsureCreated(), buffer, _position);
        _position += buffer.Length;
    }

    public override Task FlushAsync(CancellationToken cancellationToken) =>
        cancellationToken.IsCancellationRequested ? Task.FromCanceled(cancellationToken) : Task.CompletedTask;

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _disposed = true;
            _handle?.Dispose();
        }

        base.Dispose(disposing);
    }
}
