using System.Buffers;

namespace Exports.Sdk;

/// <summary>
/// The base of a destination writer for stores that take a file in parts (multipart uploads, staged blocks, chunked
/// upload APIs). Bytes fill a pooled buffer of the part size; a full part is sent by <see cref="UploadPartAsync"/> while
/// the next one fills, so at most two parts are in memory and bytes leave long before the commit.
/// <see cref="IDestinationWriter.CommitAsync"/> hands the last part to <see cref="CompleteAsync"/>, which publishes the
/// file; disposing without commit waits for the part in flight and calls <see cref="AbortAsync"/>.
/// </summary>
/// <remarks>
/// Derived classes implement only the store's calls. With a request pipeline, each part, the start and the completion
/// run with the pipeline's timeout and retries, so they may run again after a failed attempt and must be idempotent
/// (a part re-uploaded under its number, a completion that does not add its last part twice); without one, the derived
/// class retries as it sees fit. After a failed write or commit every further call throws <see cref="IOException"/>.
/// </remarks>
public abstract class BufferedPartWriter : IDestinationWriter
{
    private readonly int _partSize;
    private readonly DestinationRequestPipeline<string>? _requests;
    private readonly CancellationTokenSource _lifetime = new();
    private byte[] _buffer;
    private byte[]? _spare;
    private int _filled;
    private Task? _inFlight;
    private int _partsSent;
    private long _bytesUploaded;
    private readonly WriterLifecycle _state = new();

    /// <summary>Starts a file.</summary>
    /// <param name="path">The file's path, for messages.</param>
    /// <param name="partSize">The size of every part but the last, in bytes.</param>
    /// <param name="requests">Runs each part and the completion with timeouts and retries; null: the calls run as they are.</param>
    protected BufferedPartWriter(string path, int partSize, DestinationRequestPipeline<string>? requests = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(partSize, 1);
        FilePath = path;
        _partSize = partSize;
        _requests = requests;
        _buffer = ArrayPool<byte>.Shared.Rent(partSize);
        Stream = new DestinationWriteStream(WriteAsync);
    }

    /// <inheritdoc />
    public Stream Stream { get; }

    /// <summary>The file's path (or key) as given to the constructor.</summary>
    protected string FilePath { get; }

    /// <summary>The bytes written to <see cref="Stream"/> so far.</summary>
    public long BytesWritten { get; private set; }

    /// <summary>The bytes of the parts the store has acknowledged so far (the last part's only after the commit).</summary>
    public long BytesUploaded => Interlocked.Read(ref _bytesUploaded);

    /// <summary>
    /// Runs once, on the writer's flow, before the first full part is sent (e.g. to start a multipart upload); a file
    /// that fits in one part never calls it. Default: nothing.
    /// </summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    protected virtual ValueTask StartAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>Sends one full part; runs while the next part fills. Parts are numbered from 1 and sent in order, one at a time.</summary>
    /// <param name="partNumber">The part's number.</param>
    /// <param name="part">The part's bytes (valid until the returned task completes).</param>
    /// <param name="cancellationToken">Cancels the upload (the writer is being disposed, or the attempt timed out).</param>
    /// <returns>A task that completes when the store holds the part.</returns>
    protected abstract ValueTask UploadPartAsync(int partNumber, ReadOnlyMemory<byte> part, CancellationToken cancellationToken);

    /// <summary>Publishes the file under its final name, atomically: every earlier part was sent.</summary>
    /// <param name="partNumber">The number of the last part (1 when the file fits in one part).</param>
    /// <param name="lastPart">The last part's bytes; empty when the file is empty or ended on a part boundary.</param>
    /// <param name="cancellationToken">Cancels the commit.</param>
    /// <returns>A task that completes when the file is visible.</returns>
    protected abstract ValueTask CompleteAsync(int partNumber, ReadOnlyMemory<byte> lastPart, CancellationToken cancellationToken);

    /// <summary>
    /// Drops what was sent of an uncommitted file (abort a multipart upload, delete chunks). Best effort: log and swallow
    /// the store's failures, since disposing must not throw while a failed export is being rolled back. Default: nothing.
    /// </summary>
    /// <param name="partsSent">How many parts were sent.</param>
    /// <returns>A task.</returns>
    protected virtual ValueTask AbortAsync(int partsSent) => ValueTask.CompletedTask;

    /// <summary>Sees every byte once, in order, as it is written (e.g. to compute a checksum). Default: nothing.</summary>
    /// <param name="data">The bytes.</param>
    protected virtual void OnWrite(ReadOnlySpan<byte> data)
    {
    }

    /// <inheritdoc />
    public async ValueTask CommitAsync(CancellationToken cancellationToken = default)
    {
        _state.ThrowIfNotWritable(this);
        try
        {
            await WaitForInFlightAsync(cancellationToken).ConfigureAwait(false);
            var last = _buffer.AsMemory(0, _filled);
            var number = _partsSent + 1;
            await RunAsync("complete", number, ct => CompleteAsync(number, last, ct), cancellationToken).ConfigureAwait(false);
            Interlocked.Add(ref _bytesUploaded, last.Length);
            _state.MarkCommitted();
        }
        catch
        {
            _state.MarkFailed();
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!_state.BeginDispose())
        {
            return;
        }

        try
        {
            await _lifetime.CancelAsync().ConfigureAwait(false);
            if (_inFlight is { } inFlight)
            {
                try
                {
                    await inFlight.ConfigureAwait(false);
                }
#pragma warning disable CA1031 // The upload is being abandoned: whatever the part's failure was, it no longer matters.
                catch (Exception)
#pragma warning restore CA1031
                {
                }
            }

            if (!_state.Committed)
            {
                await AbortAsync(_partsSent).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            if (_spare is not null)
            {
                ArrayPool<byte>.Shared.Return(_spare);
            }

            _lifetime.Dispose();
            GC.SuppressFinalize(this);
        }
    }

    private async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        _state.ThrowIfNotWritable(this);
        try
        {
            OnWrite(data.Span);
            while (!data.IsEmpty)
            {
                var count = Math.Min(data.Length, _partSize - _filled);
                data[..count].CopyTo(_buffer.AsMemory(_filled));
                _filled += count;
                BytesWritten += count;
                data = data[count..];
                if (_filled == _partSize)
                {
                    await SendFullPartAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch
        {
            _state.MarkFailed();
            throw;
        }
    }

    private async ValueTask SendFullPartAsync(CancellationToken cancellationToken)
    {
        if (_partsSent == 0)
        {
            await RunAsync("start", 1, StartAsync, cancellationToken).ConfigureAwait(false);
        }

        // One part uploads while the next fills: memory stays at two parts, and a failure surfaces on the next write.
        await WaitForInFlightAsync(cancellationToken).ConfigureAwait(false);
        var full = _buffer;
        var count = _filled;
        var number = ++_partsSent;
        _buffer = _spare ?? ArrayPool<byte>.Shared.Rent(_partSize);
        _spare = null;
        _filled = 0;
        _inFlight = UploadInBackgroundAsync(full, count, number);
    }

    private async Task UploadInBackgroundAsync(byte[] buffer, int count, int number)
    {
        try
        {
            await RunAsync("upload part", number, ct => UploadPartAsync(number, buffer.AsMemory(0, count), ct), _lifetime.Token).ConfigureAwait(false);
            Interlocked.Add(ref _bytesUploaded, count);
        }
        finally
        {
            _spare = buffer;
        }
    }

    private async ValueTask RunAsync(string operation, int partNumber, Func<CancellationToken, ValueTask> call, CancellationToken cancellationToken)
    {
        if (_requests is null)
        {
            await call(cancellationToken).ConfigureAwait(false);
            return;
        }

        await _requests.ExecuteAsync(operation, $"{FilePath} (part {partNumber})", async ct =>
        {
            await call(ct).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask WaitForInFlightAsync(CancellationToken cancellationToken)
    {
        if (_inFlight is { } inFlight)
        {
            await inFlight.WaitAsync(cancellationToken).ConfigureAwait(false);
            _inFlight = null;
        }
    }
}
