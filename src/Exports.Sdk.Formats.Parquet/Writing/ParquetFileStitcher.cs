using System.Buffers.Binary;
using global::Parquet.Meta;

namespace Exports.Sdk.Formats.Parquet;

/// <summary>
/// Writes one Parquet file from row groups that were encoded independently, on several cores: <c>PAR1</c>, the column
/// chunks of each encoded row group in order, then one footer listing every row group with its offsets moved to where
/// its bytes landed. The position is counted here, so the output stays forward-only. The footer's schema is the typed
/// one (<see cref="CompleteAsync"/>): columns encoded as plain integers get their DATE, TIMESTAMP and DECIMAL types there.
/// </summary>
internal sealed class ParquetFileStitcher(Stream output)
{
    private static readonly byte[] Magic = "PAR1"u8.ToArray();

    private readonly List<RowGroup> _rowGroups = [];
    private long _position;
    private long _rows;

    /// <summary>Bytes written so far.</summary>
    public long Position => _position;

    /// <summary>Row groups appended so far.</summary>
    public int RowGroups => _rowGroups.Count;

    /// <summary>Copies an encoded row group's column chunks to the output and records its metadata.</summary>
    public async ValueTask AppendAsync(EncodedRowGroup part, CancellationToken cancellationToken)
    {
        var file = part.File.GetBuffer().AsMemory(0, (int)part.File.Length);
        if (file.Length < Magic.Length || !file.Span[..4].SequenceEqual(Magic))
        {
            throw new InvalidOperationException("An encoded row group does not start with the Parquet magic.");
        }

        var rowGroup = part.RowGroup;
        foreach (var column in rowGroup.Columns)
        {
            var metadata = column.MetaData ?? throw new InvalidOperationException("An encoded column chunk has no metadata.");
            if (column.FileOffset < Magic.Length || column.FileOffset + metadata.TotalCompressedSize > file.Length)
            {
                throw new InvalidOperationException($"The column chunk '{string.Join('.', metadata.PathInSchema)}' lies outside its row group.");
            }
        }

        await StartAsync(cancellationToken).ConfigureAwait(false);

        // Offsets in the part count from its own magic; here its chunks start at the current position.
        Shift(rowGroup, _position - Magic.Length);
        _rows += rowGroup.NumRows;
        _rowGroups.Add(rowGroup);
        await output.WriteAsync(file[Magic.Length..], cancellationToken).ConfigureAwait(false);
        _position += file.Length - Magic.Length;
    }

    /// <summary>
    /// Writes the footer: the typed file's metadata (<paramref name="typed"/>, a footer Parquet.Net wrote for the typed
    /// schema) with the appended row groups.
    /// </summary>
    public async ValueTask CompleteAsync(FileMetaData typed, CancellationToken cancellationToken)
    {
        await StartAsync(cancellationToken).ConfigureAwait(false);
        var schema = typed.Schema;
        var footer = new FileMetaData
        {
            Version = typed.Version,
            Schema = schema,
            NumRows = _rows,
            RowGroups = _rowGroups,
            KeyValueMetadata = typed.KeyValueMetadata,
            CreatedBy = typed.CreatedBy,
            // The bounds' order is the type's (strings and UUIDs unsigned): without a column order per column, readers
            // may ignore min_value and max_value.
            ColumnOrders = typed.ColumnOrders ?? [.. schema.Skip(1).Select(_ => new ColumnOrder { TYPEORDER = new TypeDefinedOrder() })],
        };
        using var bytes = new MemoryStream();
        ThriftFooterWriter.Write(footer, bytes);
        var length = (int)bytes.Length;
        var tail = new byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(tail, length);
        Magic.CopyTo(tail, 4);
        await output.WriteAsync(bytes.GetBuffer().AsMemory(0, length), cancellationToken).ConfigureAwait(false);
        await output.WriteAsync(tail, cancellationToken).ConfigureAwait(false);
        _position += length + tail.Length;
    }

    private async ValueTask StartAsync(CancellationToken cancellationToken)
    {
        if (_position == 0)
        {
            await output.WriteAsync(Magic, cancellationToken).ConfigureAwait(false);
            _position = Magic.Length;
        }
    }

    private static void Shift(RowGroup rowGroup, long shift)
    {
        rowGroup.FileOffset += shift;
        foreach (var column in rowGroup.Columns)
        {
            column.FileOffset += shift;
            column.OffsetIndexOffset += shift;
            column.ColumnIndexOffset += shift;
            var metadata = column.MetaData!;
            metadata.DataPageOffset += shift;
            metadata.DictionaryPageOffset += shift;
            metadata.IndexPageOffset += shift;
            metadata.BloomFilterOffset += shift;
        }
    }
}
