using System.Runtime.ExceptionServices;

namespace Exports.Sdk;

/// <summary>
/// Uses every core for a text format while keeping the file's row order: a step's rows are cut into contiguous slices
/// formatted at once by several formatters, and the formatted slices are written (hashed, compressed, uploaded) in the
/// background while the next step is formatted into a second set of formatters. At most two steps are in memory.
/// With a parallelism of 1 everything happens on the calling thread.
/// </summary>
internal sealed class RowFormattingPipeline<TFormatter> : IAsyncDisposable
    where TFormatter : class, IRowFormatter
{
    /// <summary>Below this many rows per core a step is formatted on one thread: splitting would cost more than it saves.</summary>
    internal const int MinRowsPerWorker = 512;

    /// <summary>Rows per step, which bounds the memory of a step's buffers: a default batch, so a batch is one step.</summary>
    internal const int MaxRowsPerStep = RowBatch.DefaultCapacity;

    /// <summary>Smaller output is kept and added to, so a trickle of small batches does not become a trickle of small writes.</summary>
    private const int MinBytesPerWrite = 64 * 1024;

    private readonly TFormatter?[][] _sets;
    private readonly Func<TFormatter> _create;
    private readonly Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> _write;
    private readonly bool _background;
    private Task _pending = Task.CompletedTask;
    private int _current;

    // Bytes handed to a background write, and those it has written (updated on the writing thread).
    private long _handedOff;
    private long _written;

    public RowFormattingPipeline(int parallelism, Func<TFormatter> create, Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> write)
    {
        _create = create;
        _write = write;
        var workers = Math.Max(1, parallelism);
        _sets = [new TFormatter?[workers], new TFormatter?[workers]];
        _background = workers > 1;
    }

    /// <summary>Bytes formatted and not yet written: the current set, and the set a background write still holds.</summary>
    public long BufferedBytes
    {
        get
        {
            long bytes = _handedOff - Volatile.Read(ref _written);
            foreach (var formatter in _sets[_current])
            {
                bytes += formatter?.Formatted.Length ?? 0;
            }

            return bytes;
        }
    }

    /// <summary>The formatter whose output is written next (e.g. to put a header before the first row).</summary>
    public TFormatter Next => Formatter(_current, 0);

    public async ValueTask WriteAsync(ColumnVector[] vectors, ReadOnlyMemory<int> rows, CancellationToken cancellationToken)
    {
        for (var offset = 0; offset < rows.Length; offset += MaxRowsPerStep)
        {
            var step = rows.Slice(offset, Math.Min(MaxRowsPerStep, rows.Length - offset));
            var workers = Math.Clamp(step.Length / MinRowsPerWorker, 1, _sets[_current].Length);
            Format(vectors, step, workers, cancellationToken);
            if (workers == 1 && Formatter(_current, 0).Formatted.Length < MinBytesPerWrite)
            {
                continue;
            }

            await HandOffAsync(workers, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Writes everything formatted so far and waits until it is written.</summary>
    public async ValueTask DrainAsync(CancellationToken cancellationToken)
    {
        await HandOffAsync(_sets[_current].Length, cancellationToken).ConfigureAwait(false);
        var pending = _pending;
        _pending = Task.CompletedTask;
        await pending.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            // The background write still reads the buffers; they go back to the pool only after it.
            await _pending.ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The file is being abandoned; its error was or will be reported by the call that failed.
        catch (Exception)
#pragma warning restore CA1031
        {
        }

        foreach (var set in _sets)
        {
            foreach (var formatter in set)
            {
                formatter?.Dispose();
            }
        }
    }

    private TFormatter Formatter(int set, int index) => _sets[set][index] ??= _create();

    private void Format(ColumnVector[] vectors, ReadOnlyMemory<int> rows, int workers, CancellationToken cancellationToken)
    {
        if (workers == 1)
        {
            Formatter(_current, 0).FormatAll(vectors, rows.Span);
            return;
        }

        var formatters = new TFormatter[workers];
        for (var i = 0; i < workers; i++)
        {
            formatters[i] = Formatter(_current, i);
        }

        var size = (rows.Length + workers - 1) / workers;
        try
        {
            // CPU-bound and short (one step); the calling thread takes part.
            Parallel.For(0, workers, new ParallelOptions { CancellationToken = cancellationToken }, i =>
            {
                var start = i * size;
                formatters[i].FormatAll(vectors, rows.Span[start..Math.Min(rows.Length, start + size)]);
            });
        }
        catch (AggregateException ex) when (ex.InnerExceptions.Count > 0)
        {
            ExceptionDispatchInfo.Capture(ex.InnerExceptions[0]).Throw();
        }
    }

    private async ValueTask HandOffAsync(int workers, CancellationToken cancellationToken)
    {
        // The previous step must be written first: that keeps the order and frees the other set for the next step.
        var previous = _pending;
        _pending = Task.CompletedTask;
        await previous.ConfigureAwait(false);

        var set = _sets[_current];
        var count = Math.Min(workers, set.Length);
        for (var i = 0; i < count; i++)
        {
            _handedOff += set[i]?.Formatted.Length ?? 0;
        }

        _current ^= 1;
        if (!_background)
        {
            // One core allowed: write on this thread, in step.
            await WriteSetAsync(set, count, cancellationToken).ConfigureAwait(false);
            return;
        }

        _pending = Task.Run(() => WriteSetAsync(set, count, cancellationToken), CancellationToken.None);
    }

    private async Task WriteSetAsync(TFormatter?[] set, int count, CancellationToken cancellationToken)
    {
        for (var i = 0; i < count; i++)
        {
            if (set[i] is { } formatter && !formatter.Formatted.IsEmpty)
            {
                var length = formatter.Formatted.Length;
                await _write(formatter.Formatted, cancellationToken).ConfigureAwait(false);
                formatter.Reset();
                Interlocked.Add(ref _written, length);
            }
        }
    }
}
