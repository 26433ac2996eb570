using global::Parquet;
using global::Parquet.Schema;

namespace Exports.Sdk.Formats.Parquet;

/// <summary>
/// Writes one Parquet file: rows accumulate in typed column buffers until the row group is full (by rows or estimated
/// bytes), then Parquet.Net encodes and compresses each column chunk and writes it to the forward-only output. Memory is
/// bounded by one row group, whatever the size of the file. The footer is written by <see cref="CompleteAsync"/> only,
/// so an aborted file is never mistaken for a complete one.
/// </summary>
internal sealed class ParquetFormatWriter : IFormatWriter
{
    /// <summary>Rows appended between two checks of the estimated row-group size.</summary>
    internal const int ByteCheckRows = 1024;

    /// <summary>Values sampled to decide whether a string column is worth dictionary encoding.</summary>
    private const int DictionarySampleSize = 10_000;

    private readonly Stream _output;
    private readonly FormatWriterContext _context;
    private readonly ParquetFormatOptions _options;
    private readonly ParquetSchema _schema;
    private readonly ParquetColumnBuffer[] _buffers;
    private ParquetWriter? _writer;
    private int _rows;
    private long _bytes;

    public ParquetFormatWriter(Stream output, FormatWriterContext context, ParquetFormatOptions options)
    {
        _output = new ForwardOnlyStream(output);
        _context = context;
        _options = options;
        var fields = new DataField[context.Columns.Count];
        for (var i = 0; i < fields.Length; i++)
        {
            fields[i] = CreateField(context.Columns[i], options, context.ExportName);
        }

        // The schema attaches the fields (levels, paths), so buffers get them after it exists.
        _schema = new ParquetSchema(fields);
        _buffers = [.. context.Columns.Select((c, i) => new ParquetColumnBuffer(c, fields[i], options, context.ExportName))];
    }

    /// <summary>Row groups written so far.</summary>
    internal int RowGroupsWritten { get; private set; }

    public async ValueTask WriteAsync(RowBatch batch, ReadOnlyMemory<int> rows, CancellationToken cancellationToken = default)
    {
        var offset = 0;
        while (offset < rows.Length)
        {
            var take = Math.Min(Math.Min(rows.Length - offset, _options.RowGroupRows - _rows), ByteCheckRows);
            var slice = rows.Span.Slice(offset, take);
            foreach (var buffer in _buffers)
            {
                _bytes += buffer.Append(batch, slice);
            }

            _rows += take;
            offset += take;
            if (_rows >= _options.RowGroupRows || _bytes >= _options.RowGroupBytes)
            {
                await WriteRowGroupAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Flushes the bytes already written. The open row group stays in memory: closing it here would cut row groups at
    /// every size check of the part writer. A part's byte limit therefore counts finished row groups only.
    /// </summary>
    public async ValueTask FlushAsync(CancellationToken cancellationToken = default) =>
        await _output.FlushAsync(cancellationToken).ConfigureAwait(false);

    public async ValueTask CompleteAsync(CancellationToken cancellationToken = default)
    {
        if (_rows > 0)
        {
            await WriteRowGroupAsync(cancellationToken).ConfigureAwait(false);
        }

        // A file without rows still gets the magic bytes and a footer with the schema.
        var writer = await GetWriterAsync(cancellationToken).ConfigureAwait(false);
        _writer = null;
        await writer.DisposeAsync().ConfigureAwait(false);
        await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync()
    {
        // Not committed: the footer is deliberately not written; the destination aborts the file.
        _writer = null;
        foreach (var buffer in _buffers)
        {
            buffer.Reset();
        }

        return ValueTask.CompletedTask;
    }

    private async ValueTask WriteRowGroupAsync(CancellationToken cancellationToken)
    {
        var writer = await GetWriterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var rowGroup = writer.CreateRowGroup();
            foreach (var buffer in _buffers)
            {
                await buffer.WriteAsync(rowGroup, cancellationToken).ConfigureAwait(false);
            }

            rowGroup.CompleteValidate();
        }
        catch (Exception ex) when (ex is ParquetException or InvalidOperationException or ArgumentException or NotSupportedException)
        {
            throw new ExportException($"{_context.ExportName}: Parquet could not write a row group: {ex.Message}", ex);
        }

        RowGroupsWritten++;
        _rows = 0;
        _bytes = 0;
    }

    private async ValueTask<ParquetWriter> GetWriterAsync(CancellationToken cancellationToken) =>
        _writer ??= await ParquetWriter.CreateAsync(_schema, _output, new ParquetOptions
        {
            CompressionMethod = _options.Codec switch
            {
                ParquetCodec.Zstd => CompressionMethod.Zstd,
                ParquetCodec.Gzip => CompressionMethod.Gzip,
                ParquetCodec.None => CompressionMethod.None,
                _ => CompressionMethod.Snappy,
            },
            CompressionLevel = _options.CompressionLevel,
            // Probe a sample before trying dictionary encoding, so unique strings (e-mails, ids) skip a full-column scan.
            DictionaryEncodingSampleSize = DictionarySampleSize,
            // Parquet.Net pools its streams without bound by default ("indistinguishable from a memory leak" in its own
            // docs); capping the free pool keeps memory flat however many row groups a file has.
            MaximumSmallPoolFreeBytes = 4 * 1024 * 1024,
            MaximumLargePoolFreeBytes = (int)Math.Clamp(_options.RowGroupBytes, 8L * 1024 * 1024, int.MaxValue),
        }, append: false, cancellationToken).ConfigureAwait(false);

    private static DataField CreateField(OutputColumn column, ParquetFormatOptions options, string exportName) => column.Type switch
    {
        ExportColumnType.String => new DataField(column.Name, typeof(string), isNullable: true),
        ExportColumnType.Int32 => new DataField(column.Name, typeof(int), isNullable: true),
        ExportColumnType.Int64 => new DataField(column.Name, typeof(long), isNullable: true),
        ExportColumnType.Double => new DataField(column.Name, typeof(double), isNullable: true),
        ExportColumnType.Decimal => new DecimalDataField(column.Name, options.DecimalPrecision, options.DecimalScale, forceByteArrayEncoding: false, isNullable: true),
        ExportColumnType.Boolean => new DataField(column.Name, typeof(bool), isNullable: true),
        ExportColumnType.Date => new DataField(column.Name, typeof(DateOnly), isNullable: true),
        ExportColumnType.Timestamp => new DateTimeDataField(column.Name, DateTimeFormat.Timestamp, isAdjustedToUTC: true, DateTimeTimeUnit.Micros, isNullable: true),
        ExportColumnType.Guid => new DataField(column.Name, typeof(Guid), isNullable: true),
        _ => throw new ExportException($"{exportName}: column '{column.Name}' has the type {column.Type}, which Parquet export does not support."),
    };
}
