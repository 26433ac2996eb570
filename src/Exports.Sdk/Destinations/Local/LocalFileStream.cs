using System.Runtime.ExceptionServices;
using Microsoft.Win32.SafeHandles;

namespace Exports.Sdk;

/// <summary>
/// The write-only stream of a local temp file. Writes go straight to the file on the calling thread: local writes
/// land in the page cache and return at once, and .NET runs file writes on a pool thread on Linux anyway, so handing
/// each one to another thread would only add a thread switch per write while the export formats the next rows.
/// </summary>
/// <remarks>
/// <para>
/// The file is created by the first write (or <see cref="EnsureCreated"/>), not when the stream is: a run records the
/// temp file's name as soon as the writer is open, so the record always comes before the file, and a host killed at
/// any moment leaves no temp file its run did not name.
/// </para>
/// <para>
/// A file that its commit flushes to the disk can also be flushed while it grows, every <c>flushEvery</c> bytes, on a
/// thread of its own. Most of a flush is the disk emptying its write cache, with no core busy (~140 ms for a 220 MB
/// file, however early its pages were written back): paid as the file grows it overlaps the export's work, and the
/// commit waits only for the last bytes. A failed flush fails every later flush and the commit: the kernel reports a
/// write-back error to one flush only, so a flush after it could succeed over lost data.
/// </para>
/// </remarks>
internal sealed class LocalFileStream(Func<SafeFileHandle> create, long flushEvery, Action<SafeFileHandle>? flush = null) : WriteOnlyStream
{
    private readonly Action<SafeFileHandle> _flush = flush ?? RandomAccess.FlushToDisk;
    private SafeFileHandle? _handle;
    private bool _disposed;
    private long _position;
    private long _flushStartedAt;
    private Task? _flushing;
    private ExceptionDispatchInfo? _flushFailure;

    /// <summary>
    /// Bytes between flushes while a flushed file grows, where that is measured to help: Linux, whose file systems let
    /// writes go on during a flush. Windows queues a handle's writes behind its flush.
    /// </summary>
    internal static long DefaultFlushEvery => OperatingSystem.IsLinux() ? 16L << 20 : 0;

    public override bool CanWrite => !_disposed;

    /// <summary>Creates the file if no write has yet (an empty part is committed too).</summary>
    public SafeFileHandle EnsureCreated()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _handle ??= create();
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        var handle = _handle ?? EnsureCreated();
        RandomAccess.Write(handle, buffer, _position);
        _position += buffer.Length;
        if (flushEvery > 0 && _position - _flushStartedAt >= flushEvery)
        {
            FlushInBackground(handle);
        }
    }

    /// <summary>Waits for the flush started while the file grew, if any; a failed flush, now or before, is thrown here.</summary>
    public async ValueTask WaitForFlushAsync(CancellationToken cancellationToken)
    {
        if (_flushing is { } flushing)
        {
            // Its error is taken from the finished task below, with any earlier one.
            await flushing.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            cancellationToken.ThrowIfCancellationRequested();
        }

        ThrowIfFlushFailed();
    }

    public override Task FlushAsync(CancellationToken cancellationToken) =>
        cancellationToken.IsCancellationRequested ? Task.FromCanceled(cancellationToken) : Task.CompletedTask;

    public override async ValueTask DisposeAsync()
    {
        if (_flushing is { } flushing)
        {
            _flushing = null;
            if (OperatingSystem.IsWindows())
            {
                // The file, opened without sharing, can be deleted only once its handle is closed, after the flush.
                await flushing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            // Elsewhere the handle is closed when the flush lets go of it, and a flush stuck on the disk does not hold up
            // the abort. Its error no longer matters: the file is given up.
            _ = flushing.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _disposed = true;
            _handle?.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>Starts a flush of what is written so far, unless one is still running; a failed one fails this write.</summary>
    private void FlushInBackground(SafeFileHandle handle)
    {
        if (_flushing is { IsCompleted: false })
        {
            return;
        }

        ThrowIfFlushFailed();
        _flushStartedAt = _position;
        // A thread of its own: the flush blocks until the disk is done, and the pool's threads are the export's.
        _flushing = Task.Factory.StartNew(() => _flush(handle), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>Takes a finished flush's error, if any, and throws the first one this file had.</summary>
    private void ThrowIfFlushFailed()
    {
        if (_flushing is { IsCompleted: true } finished)
        {
            _flushing = null;
            if (finished.Exception is { } error)
            {
                _flushFailure ??= ExceptionDispatchInfo.Capture(error.InnerException ?? error);
            }
        }

        _flushFailure?.Throw();
    }
}
