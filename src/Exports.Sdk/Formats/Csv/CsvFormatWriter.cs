using System.Buffers;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Text.Unicode;

namespace Exports.Sdk;

/// <summary>
/// Writes CSV: formats rows with <see cref="CsvRowFormatter"/> and writes whole rows to the output. Large batches are
/// cut into contiguous slices formatted on several cores at once and written back in order, so a file's rows keep
/// their order while formatting uses every core.
/// </summary>
internal sealed class CsvFormatWriter : IFormatWriter
{
    /// <summary>Below this many rows per core a batch is formatted on one thread: splitting would cost more than it saves.</summary>
    internal const int MinRowsPerWorker = 512;

    private readonly Stream _output;
    private readonly FormatWriterContext _context;
    private readonly OutputColumn[] _columns;
    private readonly ColumnVector[] _vectors;
    private readonly CsvRowFormatter _main;
    private readonly CsvRowFormatter?[] _workers;
    private readonly bool _utf16;
    private readonly byte[] _preamble;
    private byte[]? _utf16Bytes;
    private bool _started;
    private bool _headerWritten;

    public CsvFormatWriter(Stream output, FormatWriterContext context)
    {
        _output = output;
        _context = context;
        _columns = [.. context.Columns];
        _vectors = new ColumnVector[_columns.Length];
        _main = new CsvRowFormatter(context);
        _workers = new CsvRowFormatter?[Math.Max(1, context.Options.EffectiveParallelism) - 1];
        var options = context.Options.Csv;
        _utf16 = options.Encoding == CsvEncoding.Utf16;
        var bom = options.ByteOrderMark ?? _utf16;
        _preamble = !bom ? [] : _utf16 ? [0xFF, 0xFE] : [0xEF, 0xBB, 0xBF];
    }

    public async ValueTask WriteAsync(RowBatch batch, ReadOnlyMemory<int> rows, CancellationToken cancellationToken = default)
    {
        EnsureHeader();
        for (var c = 0; c < _columns.Length; c++)
        {
            _vectors[c] = batch.GetVector(_columns[c].Ordinal);
        }

        try
        {
            var workers = Math.Min(_workers.Length + 1, rows.Length / MinRowsPerWorker);
            if (workers > 1)
            {
                await WriteInParallelAsync(rows, workers, cancellationToken).ConfigureAwait(false);
                return;
            }

            var next = 0;
            while (next < rows.Length)
            {
                next = _main.FormatRows(_vectors, rows.Span, next);
                if (_main.IsFull)
                {
                    await WriteOutAsync(_main, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            // Batches may be reused by the source once this call returns.
            Array.Clear(_vectors);
        }
    }

    public async ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        await WriteOutAsync(_main, cancellationToken).ConfigureAwait(false);
        await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public ValueTask CompleteAsync(CancellationToken cancellationToken = default)
    {
        EnsureHeader();
        return WriteOutAsync(_main, cancellationToken);
    }

    public ValueTask DisposeAsync()
    {
        _main.Return();
        foreach (var worker in _workers)
        {
            worker?.Return();
        }

        if (_utf16Bytes is { } utf16)
        {
            _utf16Bytes = null;
            ArrayPool<byte>.Shared.Return(utf16);
        }

        return ValueTask.CompletedTask;
    }

    private void EnsureHeader()
    {
        if (_headerWritten)
        {
            return;
        }

        _headerWritten = true;
        if (_context.Options.Csv.Header)
        {
            _main.WriteHeader();
        }
    }

    private async ValueTask WriteInParallelAsync(ReadOnlyMemory<int> rows, int workers, CancellationToken cancellationToken)
    {
        var formatters = new CsvRowFormatter[workers];
        formatters[0] = _main;
        for (var i = 1; i < workers; i++)
        {
            formatters[i] = _workers[i - 1] ??= new CsvRowFormatter(_context);
        }

        var vectors = _vectors;
        var size = (rows.Length + workers - 1) / workers;
        try
        {
            // CPU-bound and short (one batch); the calling thread takes part.
            Parallel.For(0, workers, new ParallelOptions { CancellationToken = cancellationToken }, i =>
            {
                var start = i * size;
                var end = Math.Min(rows.Length, start + size);
                formatters[i].FormatAll(vectors, rows.Span[start..end]);
            });
        }
        catch (AggregateException ex) when (ex.InnerExceptions.Count > 0)
        {
            ExceptionDispatchInfo.Capture(ex.InnerExceptions[0]).Throw();
        }

        // The main formatter's earlier rows come first; then each slice in order.
        foreach (var formatter in formatters)
        {
            await WriteOutAsync(formatter, cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask WriteOutAsync(CsvRowFormatter formatter, CancellationToken cancellationToken)
    {
        if (!_started)
        {
            _started = true;
            if (_preamble.Length > 0)
            {
                await _output.WriteAsync(_preamble, cancellationToken).ConfigureAwait(false);
            }
        }

        var formatted = formatter.Formatted;
        if (formatted.IsEmpty)
        {
            return;
        }

        if (_utf16)
        {
            // A formatter's buffer always ends on a row boundary, so it holds whole UTF-8 sequences.
            if (_utf16Bytes is null || _utf16Bytes.Length < formatted.Length * 2)
            {
                if (_utf16Bytes is not null)
                {
                    ArrayPool<byte>.Shared.Return(_utf16Bytes);
                }

                _utf16Bytes = ArrayPool<byte>.Shared.Rent(formatted.Length * 2);
            }

            // UTF-16LE: the in-memory layout of chars on little-endian machines.
            Utf8.ToUtf16(formatted.Span, MemoryMarshal.Cast<byte, char>(_utf16Bytes.AsSpan()), out _, out var charCount);
            if (!BitConverter.IsLittleEndian)
            {
                var shorts = MemoryMarshal.Cast<byte, ushort>(_utf16Bytes.AsSpan(0, charCount * 2));
                System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(shorts, shorts);
            }

            await _output.WriteAsync(_utf16Bytes.AsMemory(0, charCount * 2), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await _output.WriteAsync(formatted, cancellationToken).ConfigureAwait(false);
        }

        formatter.Reset();
    }
}
