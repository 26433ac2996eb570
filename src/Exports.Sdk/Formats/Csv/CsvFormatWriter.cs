using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Unicode;

namespace Exports.Sdk;

/// <summary>Writes CSV through a <see cref="RowFormattingPipeline{TFormatter}"/> of <see cref="CsvRowFormatter"/>s.</summary>
internal sealed class CsvFormatWriter : IFormatWriter, IBufferingFormatWriter
{
    private readonly Stream _output;
    private readonly FormatWriterContext _context;
    private readonly OutputColumn[] _columns;
    private readonly ColumnVector[] _vectors;
    private readonly RowFormattingPipeline<CsvRowFormatter> _pipeline;
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
        _pipeline = new RowFormattingPipeline<CsvRowFormatter>(context.Options.EffectiveParallelism, () => new CsvRowFormatter(context), WriteOutAsync);
        var options = context.Options.Csv;
        _utf16 = options.Encoding == CsvEncoding.Utf16;
        var bom = options.ByteOrderMark ?? _utf16;
        _preamble = !bom ? [] : _utf16 ? [0xFF, 0xFE] : [0xEF, 0xBB, 0xBF];
    }

    // Formatted as UTF-8; UTF-16 output is about twice that.
    public long BufferedBytes => _pipeline.BufferedBytes * (_utf16 ? 2 : 1);

    public void HoldLess() => _pipeline.HoldLess();

    public ValueTask SettleAsync(CancellationToken cancellationToken) => _pipeline.DrainAsync(cancellationToken);

    public async ValueTask WriteAsync(RowBatch batch, ReadOnlyMemory<int> rows, CancellationToken cancellationToken = default)
    {
        EnsureHeader();
        for (var c = 0; c < _columns.Length; c++)
        {
            _vectors[c] = batch.GetVector(_columns[c].Ordinal);
        }

        try
        {
            await _pipeline.WriteAsync(_vectors, rows, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Batches may be reused by the source once this call returns; the pipeline keeps only formatted bytes.
            Array.Clear(_vectors);
        }
    }

    public async ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        await _pipeline.DrainAsync(cancellationToken).ConfigureAwait(false);
        await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public ValueTask CompleteAsync(CancellationToken cancellationToken = default)
    {
        EnsureHeader();
        return _pipeline.DrainAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _pipeline.DisposeAsync().ConfigureAwait(false);
        if (_utf16Bytes is { } utf16)
        {
            _utf16Bytes = null;
            ArrayPool<byte>.Shared.Return(utf16);
        }
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
            _pipeline.Next.WriteHeader();
        }
    }

    /// <summary>Called for each formatted slice in file order, one at a time.</summary>
    private async ValueTask WriteOutAsync(ReadOnlyMemory<byte> formatted, CancellationToken cancellationToken)
    {
        if (!_started)
        {
            _started = true;
            if (_preamble.Length > 0)
            {
                await _output.WriteAsync(_preamble, cancellationToken).ConfigureAwait(false);
            }
        }

        if (!_utf16)
        {
            await _output.WriteAsync(formatted, cancellationToken).ConfigureAwait(false);
            return;
        }

        // A slice always ends on a row boundary, so it holds whole UTF-8 sequences.
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
}
