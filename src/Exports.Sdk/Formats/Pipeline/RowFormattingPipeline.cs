using System.Runtime.ExceptionServices;

namespace Exports.Sdk;

/// <summary>
/// Uses every core for a text format while keeping the file's row order. A step's rows are cut into chunks queued in a
/// ring; the calling thread formats them, and one writer loop writes (hashes, compresses, uploads) the formatted chunks
/// in order and, whenever the next one is not formatted yet, formats queued chunks itself. So two threads keep two
/// cores busy and never meet at the end of a step (a fork and join per step with the writer as a third thread, as
/// before, switched threads ~30 times a step). Above two cores, pool threads help format each step. At most eight
/// steps are in flight (two under a byte limit); with a parallelism of 1 everything happens on the calling thread.
/// </summary>
internal sealed class RowFormattingPipeline<TFormatter> : IAsyncDisposable
    where TFormatter : class, IRowFormatter
{
    /// <summary>Below this many rows per chunk a step is formatted on one thread: splitting would cost more than it saves.</summary>
    internal const int MinRowsPerWorker = 512;

    /// <summary>Rows per step, which bounds the memory of a step's buffers: a default batch, so a batch is one step.</summary>
    internal const int MaxRowsPerStep = RowBatch.DefaultCapacity;

    private const int ChunksPerStep = 8;

    /// <summary>
    /// Slots in the ring, each with its own buffer, and the chunks queued and not yet written at most. A buffer is
    /// formatted into again only after the writer has read others: a buffer it has just read is still in its core's
    /// cache, and every line written over there must first be taken back from that core. With a ring of 16 (two
    /// steps), the calling thread formatted at ~200 ns a row instead of ~115, and CSV on two cores ran 1.2× slower.
    /// </summary>
    private const int Capacity = 8 * ChunksPerStep;

    /// <summary>In flight at most after <see cref="HoldLess"/>: two steps, with the same ring (CSV ~4 % slower).</summary>
    private const int FewerInFlight = 2 * ChunksPerStep;

    /// <summary>Smaller output is kept and added to, so a trickle of small batches does not become a trickle of small writes.</summary>
    private const int MinBytesPerWrite = 64 * 1024;

    private const int Free = 0;
    private const int Pending = 1;
    private const int Formatting = 2;
    private const int Formatted = 3;

    private readonly Chunk[] _ring = new Chunk[Capacity];
    private readonly Func<TFormatter> _create;
    private readonly Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> _write;
    private readonly int _parallelism;
    private readonly WakeSignal _writerWake = new();
    private readonly WakeSignal _callerWake = new();
    private TFormatter? _open;
    private Task? _writer;
    private int _maxInFlight = Capacity;
    private long _queued;
    private long _done;
    private long _queuedBytes;
    private long _writtenBytes;
    private volatile bool _stopping;
    private Exception? _failure;

    public RowFormattingPipeline(int parallelism, Func<TFormatter> create, Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> write)
    {
        _create = create;
        _write = write;
        _parallelism = Math.Max(1, parallelism);
        for (var i = 0; i < Capacity; i++)
        {
            _ring[i] = new Chunk();
        }
    }

    /// <summary>Bytes formatted and not yet written.</summary>
    public long BufferedBytes =>
        Volatile.Read(ref _queuedBytes) - Volatile.Read(ref _writtenBytes) + (_open?.Formatted.Length ?? 0);

    /// <summary>The formatter whose output is written next (e.g. to put a header before the first row).</summary>
    public TFormatter Next => _open ??= _create();

    public async ValueTask WriteAsync(ColumnVector[] vectors, ReadOnlyMemory<int> rows, CancellationToken cancellationToken)
    {
        for (var offset = 0; offset < rows.Length; offset += MaxRowsPerStep)
        {
            var step = rows.Slice(offset, Math.Min(MaxRowsPerStep, rows.Length - offset));
            if (_parallelism == 1 || step.Length < 2 * MinRowsPerWorker)
            {
                Next.FormatAll(vectors, step.Span);
                if (_open!.Formatted.Length >= MinBytesPerWrite)
                {
                    await FlushOpenAsync(cancellationToken).ConfigureAwait(false);
                }

                continue;
            }

            await FormatStepAsync(vectors, step, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Keeps at most two steps in flight instead of eight, for parts whose size is estimated against a byte limit.</summary>
    public void HoldLess() => _maxInFlight = FewerInFlight;

    /// <summary>Writes everything formatted so far and waits until it is written.</summary>
    public async ValueTask DrainAsync(CancellationToken cancellationToken)
    {
        await FlushOpenAsync(cancellationToken).ConfigureAwait(false);
        if (_writer is not null)
        {
            await _callerWake.WaitAsync(static p => Volatile.Read(ref p._done) == p._queued || p.Failed, this, cancellationToken).ConfigureAwait(false);
            ThrowIfFailed();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stopping)
        {
            return;
        }

        _stopping = true;
        _writerWake.Set();
        if (_writer is { } writer)
        {
            // The writer may still be formatting or writing a chunk; the buffers go back to the pool only after it.
            await writer.ConfigureAwait(false);
        }

        _open?.Dispose();
        foreach (var chunk in _ring)
        {
            chunk.Formatter?.Dispose();
        }
    }

    private bool Failed => Volatile.Read(ref _failure) is not null;

    private async ValueTask FormatStepAsync(ColumnVector[] vectors, ReadOnlyMemory<int> step, CancellationToken cancellationToken)
    {
        await FlushOpenAsync(cancellationToken).ConfigureAwait(false);
        var count = Math.Clamp(step.Length / MinRowsPerWorker, 2, ChunksPerStep);
        await WaitForRoomAsync(count, cancellationToken).ConfigureAwait(false);

        var first = _queued;
        var size = (step.Length + count - 1) / count;
        for (var i = 0; i < count; i++)
        {
            var chunk = _ring[(first + i) % Capacity];
            chunk.Formatter ??= _create();
            chunk.Vectors = vectors;
            chunk.Rows = step.Slice(i * size, Math.Min(size, step.Length - (i * size)));
            chunk.Token = cancellationToken;
            chunk.Error = null;
            Volatile.Write(ref chunk.State, Pending);
        }

        Publish(first + count);
        for (var i = 2; i < _parallelism; i++)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static p => p.HelpFormat(), this, preferLocal: false);
        }

        for (var i = 0; i < count; i++)
        {
            if (TryFormat(_ring[(first + i) % Capacity]))
            {
                _writerWake.Set();
            }
        }

        // Chunks taken by the writer or a helper must be formatted before the batch goes back to the source.
        await _callerWake.WaitAsync(static s => s.Pipeline.AllFormatted(s.First, s.Count), (Pipeline: this, First: first, Count: count), CancellationToken.None)
            .ConfigureAwait(false);
        for (var i = 0; i < count; i++)
        {
            if (_ring[(first + i) % Capacity].Error is { } error)
            {
                // The writer stops at this chunk (every earlier one is formatted): wait for it, so nothing is written
                // after the caller sees the error. It never throws; it records its own failure.
                if (_writer is { } writer)
                {
                    await writer.ConfigureAwait(false);
                }

                ExceptionDispatchInfo.Capture(error).Throw();
            }
        }

        ThrowIfFailed();
    }

    /// <summary>Queues the output of small steps (and the header), or writes it here when there is one core.</summary>
    private async ValueTask FlushOpenAsync(CancellationToken cancellationToken)
    {
        if (_open is not { } open || open.Formatted.IsEmpty)
        {
            return;
        }

        if (_parallelism == 1)
        {
            await _write(open.Formatted, cancellationToken).ConfigureAwait(false);
            open.Reset();
            return;
        }

        await WaitForRoomAsync(1, cancellationToken).ConfigureAwait(false);
        var chunk = _ring[_queued % Capacity];
        (chunk.Formatter, _open) = (open, chunk.Formatter);
        chunk.Token = cancellationToken;
        Interlocked.Add(ref _queuedBytes, open.Formatted.Length);
        Volatile.Write(ref chunk.State, Formatted);
        Publish(_queued + 1);
    }

    /// <summary>Makes chunks up to <paramref name="queued"/> the writer's to take, starting it on first use.</summary>
    private void Publish(long queued)
    {
        Volatile.Write(ref _queued, queued);
        _writer ??= Task.Run(WriteLoopAsync, CancellationToken.None);
        _writerWake.Set();
    }

    private async ValueTask WaitForRoomAsync(int count, CancellationToken cancellationToken)
    {
        ThrowIfFailed();
        if (_queued + count - Volatile.Read(ref _done) > _maxInFlight)
        {
            await _callerWake.WaitAsync(static s => s.Pipeline._queued + s.Count - Volatile.Read(ref s.Pipeline._done) <= s.Pipeline._maxInFlight || s.Pipeline.Failed,
                (Pipeline: this, Count: count), cancellationToken).ConfigureAwait(false);
            ThrowIfFailed();
        }
    }

    private bool AllFormatted(long first, int count)
    {
        for (var i = 0; i < count; i++)
        {
            if (Volatile.Read(ref _ring[(first + i) % Capacity].State) is Pending or Formatting)
            {
                return false;
            }
        }

        return true;
    }

    private void ThrowIfFailed()
    {
        if (Volatile.Read(ref _failure) is { } failure)
        {
            ExceptionDispatchInfo.Capture(failure).Throw();
        }
    }

    /// <summary>Formats the chunk unless another thread has taken it.</summary>
    private bool TryFormat(Chunk chunk)
    {
        if (Interlocked.CompareExchange(ref chunk.State, Formatting, Pending) != Pending)
        {
            return false;
        }

        try
        {
            chunk.Formatter!.FormatAll(chunk.Vectors!, chunk.Rows.Span);
        }
#pragma warning disable CA1031 // Handed to the caller, which throws it from the step that queued the chunk.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            chunk.Error = ex;
        }

        Interlocked.Add(ref _queuedBytes, chunk.Formatter!.Formatted.Length);
        Volatile.Write(ref chunk.State, Formatted);
        return true;
    }

    /// <summary>Formats the first queued chunk nobody has taken, from <paramref name="from"/> on.</summary>
    private bool TryFormatFrom(long from)
    {
        var end = Volatile.Read(ref _queued);
        for (var i = from; i < end; i++)
        {
            if (TryFormat(_ring[i % Capacity]))
            {
                return true;
            }
        }

        return false;
    }

    private void HelpFormat()
    {
        while (!_stopping && TryFormatFrom(Volatile.Read(ref _done)))
        {
            _callerWake.Set();
            _writerWake.Set();
        }
    }

    private async Task WriteLoopAsync()
    {
        var next = 0L;
        try
        {
            while (!_stopping)
            {
                var chunk = _ring[next % Capacity];
                var state = Volatile.Read(ref chunk.State);
                if (state == Formatted)
                {
                    if (chunk.Error is { } error)
                    {
                        // The step that queued it throws it; nothing after it is written.
                        Volatile.Write(ref _failure, error);
                        _callerWake.Set();
                        return;
                    }

                    var formatted = chunk.Formatter!.Formatted;
                    await _write(formatted, chunk.Token).ConfigureAwait(false);
                    chunk.Formatter.Reset();
                    chunk.Vectors = null;
                    chunk.Rows = default;
                    Interlocked.Add(ref _writtenBytes, formatted.Length);
                    Volatile.Write(ref chunk.State, Free);
                    Volatile.Write(ref _done, ++next);
                    _callerWake.Set();
                    continue;
                }

                // The next chunk is queued but not formatted: format it, or one after it, rather than wait.
                if ((state == Pending && TryFormat(chunk)) || (state == Formatting && TryFormatFrom(next + 1)))
                {
                    _callerWake.Set();
                    continue;
                }

                await _writerWake.WaitAsync(static s => Volatile.Read(ref s.Chunk.State) != s.State || s.Pipeline._stopping, (Pipeline: this, Chunk: chunk, State: state), CancellationToken.None)
                    .ConfigureAwait(false);
            }
        }
#pragma warning disable CA1031 // Handed to the caller, which throws it from its next call.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Volatile.Write(ref _failure, ex);
            _callerWake.Set();
        }
    }

    private sealed class Chunk
    {
#pragma warning disable SA1401 // A plain holder shared by the threads of one pipeline; State is read and written with Volatile/Interlocked.
        public int State;
        public TFormatter? Formatter;
        public ColumnVector[]? Vectors;
        public ReadOnlyMemory<int> Rows;
        public CancellationToken Token;
        public Exception? Error;
#pragma warning restore SA1401
    }
}
