using global::Parquet;

namespace Exports.Sdk.Formats.Parquet;

/// <summary>
/// Writes one Parquet file: rows accumulate in typed column buffers until the row group is full (by rows or estimated
/// bytes); it is then encoded and compressed on a worker (<see cref="ParquetRowGroupBuffer.EncodeAsync"/>) while the next
/// one fills, up to one row group per core at once, and <see cref="ParquetFileStitcher"/> appends the encoded row groups in row order. Memory is bounded by
/// those few row groups, whatever the size of the file; their buffers pass on to the next part (<see cref="ParquetWriterPool"/>). The footer is written by
/// <see cref="CompleteAsync"/> only, so an aborted file is never mistaken for a complete one.
/// </summary>
internal sealed class ParquetFormatWriter : IFormatWriter
{
    /// <summary>Rows appended between two checks of the estimated row-group size.</summary>
    internal const int ByteCheckRows = 1024;

    private readonly FormatWriterContext _context;
    private readonly ParquetFormatOptions _options;
    private readonly ParquetOptions _parquetOptions;
    private readonly int _parallelism;
    private readonly Stream _output;
    private readonly ParquetFileStitcher _stitcher;
    private readonly Queue<(ParquetRowGroupBuffer Rows, Task<EncodedRowGroup> Encoding)> _encoding = new();
    private readonly ParquetWriterPool _pool;
    private ParquetFileLayout? _layout;
    private ParquetRowGroupBuffer? _current;

    public ParquetFormatWriter(Stream output, FormatWriterContext context, ParquetFormatOptions options, ParquetWriterPool pool)
    {
        _pool = pool;
        ParquetFileLayout.Validate(context, options);
        _output = new ForwardOnlyStream(output);
        _stitcher = new ParquetFileStitcher(_output);
        _context = context;
        _options = options;
        _parallelism = context.Options.EffectiveParallelism;
        _parquetOptions = new ParquetOptions
        {
            CompressionMethod = options.Codec switch
            {
                ParquetCodec.Zstd => CompressionMethod.Zstd,
                ParquetCodec.Gzip => CompressionMethod.Gzip,
                ParquetCodec.None => CompressionMethod.None,
                _ => CompressionMethod.Snappy,
            },
            CompressionLevel = options.CompressionLevel,
            // Parquet.Net pools its streams without bound by default ("indistinguishable from a memory leak" in its own
            // docs); capping the free pool keeps memory flat however many row groups a file has. Parquet.Net shares one
            // pool between all writers and each writer sets its limits, so every writer here sets the same ones.
            MaximumSmallPoolFreeBytes = 4 * 1024 * 1024,
            MaximumLargePoolFreeBytes = (int)Math.Clamp(options.RowGroupBytes, 8L * 1024 * 1024, int.MaxValue),
        };
    }

    /// <summary>Row groups written to the file so far.</summary>
    internal int RowGroupsWritten => _stitcher.RowGroups;

    public async ValueTask WriteAsync(RowBatch batch, ReadOnlyMemory<int> rows, CancellationToken cancellationToken = default)
    {
        var layout = _layout ??= await GetLayoutAsync(cancellationToken).ConfigureAwait(false);
        var offset = 0;
        while (offset < rows.Length)
        {
            var current = _current ??= _pool.TakeRowGroup() ?? layout.CreateRowGroup();
            var take = Math.Min(Math.Min(rows.Length - offset, _options.RowGroupRows - current.Rows), ByteCheckRows);
            current.Append(batch, rows.Span.Slice(offset, take));
            offset += take;
            if (current.Rows >= _options.RowGroupRows || current.Bytes >= _options.RowGroupBytes)
            {
                await EncodeCurrentAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Writes every row group already handed to the encoders. The open row group stays in memory: closing it here would
    /// cut row groups at every size check of the part writer. A part's byte limit therefore counts finished row groups only.
    /// </summary>
    public async ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        while (_encoding.Count > 0)
        {
            await AppendOldestAsync(cancellationToken).ConfigureAwait(false);
        }

        await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask CompleteAsync(CancellationToken cancellationToken = default)
    {
        // A file without rows still gets the magic bytes and a footer with the schema.
        var layout = _layout ??= await GetLayoutAsync(cancellationToken).ConfigureAwait(false);
        if (_current is { Rows: > 0 })
        {
            await EncodeCurrentAsync(cancellationToken).ConfigureAwait(false);
        }

        while (_encoding.Count > 0)
        {
            await AppendOldestAsync(cancellationToken).ConfigureAwait(false);
        }

        await _stitcher.CompleteAsync(layout.TypedFooter, cancellationToken).ConfigureAwait(false);
        await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        // Not committed: the footer is deliberately not written; the destination aborts the file. Encoders still running
        // read the buffers, so they are waited for (their errors were or will be reported by the call that failed).
        while (_encoding.TryDequeue(out var pending))
        {
            try
            {
                await pending.Encoding.ConfigureAwait(false);
            }
#pragma warning disable CA1031 // The file is being abandoned.
            catch (Exception)
#pragma warning restore CA1031
            {
            }

            _pool.Return(pending.Rows);
        }

        if (_current is { } current)
        {
            _current = null;
            _pool.Return(current);
        }
    }

    private async Task<ParquetFileLayout> GetLayoutAsync(CancellationToken cancellationToken)
    {
        try
        {
            return _pool.Layout ??= await ParquetFileLayout.CreateAsync(_context, _options, _parquetOptions, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsParquetFailure(ex))
        {
            throw new ExportException($"{_context.ExportName}: Parquet could not create the file's schema: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Hands the full row group to a worker, first waiting for the oldest one when every core has one: workers encode
    /// while this thread fills the next row group.
    /// </summary>
    private async ValueTask EncodeCurrentAsync(CancellationToken cancellationToken)
    {
        while (_encoding.Count >= _parallelism)
        {
            await AppendOldestAsync(cancellationToken).ConfigureAwait(false);
        }

        var rows = _current!;
        _current = null;
        var file = _pool.TakeFile();
        if (_parallelism == 1)
        {
            _encoding.Enqueue((rows, EncodeAsync(rows, file, cancellationToken)));
            await AppendOldestAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        _encoding.Enqueue((rows, Task.Run(() => EncodeAsync(rows, file, cancellationToken), CancellationToken.None)));
    }

    private async Task<EncodedRowGroup> EncodeAsync(ParquetRowGroupBuffer rows, MemoryStream file, CancellationToken cancellationToken)
    {
        try
        {
            return await rows.EncodeAsync(_layout!.ParquetNetSchema, _parquetOptions, file, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsParquetFailure(ex))
        {
            throw new ExportException($"{_context.ExportName}: Parquet could not write a row group: {ex.Message}", ex);
        }
    }

    /// <summary>Waits for the oldest encoder and appends its row group: row groups reach the file in row order.</summary>
    private async ValueTask AppendOldestAsync(CancellationToken cancellationToken)
    {
        var (rows, encoding) = _encoding.Dequeue();
        EncodedRowGroup encoded;
        try
        {
            encoded = await encoding.ConfigureAwait(false);
        }
        finally
        {
            _pool.Return(rows);
        }

        await _stitcher.AppendAsync(encoded, cancellationToken).ConfigureAwait(false);
        _pool.Return(encoded.File);
    }

    private static bool IsParquetFailure(Exception ex) => ex is ParquetException or InvalidOperationException or ArgumentException or NotSupportedException;
}
