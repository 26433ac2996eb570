using System.Buffers.Binary;
using global::Parquet.Meta;

namespace Exports.Sdk.Formats.Parquet;

/// <summary>
/// Writes one Parquet file from row groups that were encoded independently, on several cores: <c>PAR1</c>, the body of
/// each encoded file in order (everything between its leading magic and its footer), then one footer listing every row
/// group with its offsets moved to where its bytes landed. The position is counted here, so the output stays
/// forward-only. The footer's schema is the typed one (<see cref="CompleteAsync"/>): columns encoded as plain integers
/// get their DATE, TIMESTAMP and DECIMAL types there.
/// </summary>
internal sealed class ParquetFileStitcher(Stream output)
{
    private static readonly byte[] Magic = "PAR1"u8.ToArray();

    private readonly List<RowGroup> _rowGroups = [];
    private List<SchemaElement>? _encodedSchema;
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
        var span = file.Span;
        if (span.Length < 12 || !span[..4].SequenceEqual(Magic) || !span[^4..].SequenceEqual(Magic))
        {
            throw new InvalidOperationException("Parquet.Net's row group is not a complete Parquet file.");
        }

        var bodyEnd = span.Length - 8 - BinaryPrimitives.ReadInt32LittleEndian(span[^8..^4]);
        _encodedSchema ??= part.Metadata.Schema;
        await StartAsync(cancellationToken).ConfigureAwait(false);

        // Offsets in the part count from its own magic; here its body starts at the current position.
        var shift = _position - Magic.Length;
        foreach (var rowGroup in part.Metadata.RowGroups)
        {
            foreach (var column in rowGroup.Columns)
            {
                var metadata = column.MetaData ?? throw new InvalidOperationException("Parquet.Net wrote a column chunk without metadata.");
                if (column.FileOffset < Magic.Length || column.FileOffset + metadata.TotalCompressedSize > bodyEnd)
                {
                    throw new InvalidOperationException($"Parquet.Net's column chunk '{string.Join('.', metadata.PathInSchema)}' lies outside its file.");
                }
            }

            Shift(rowGroup, shift);
            _rows += rowGroup.NumRows;
            _rowGroups.Add(rowGroup);
        }

        await output.WriteAsync(file[Magic.Length..bodyEnd], cancellationToken).ConfigureAwait(false);
        _position += bodyEnd - Magic.Length;
    }

    /// <summary>
    /// Writes the footer: the typed file's metadata (<paramref name="typed"/>, a footer Parquet.Net wrote for the typed
    /// schema) with the appended row groups. Statistics Parquet.Net gets wrong for UUIDs (little-endian bounds of
    /// big-endian values) are left out rather than mislead readers that skip row groups by them.
    /// </summary>
    public async ValueTask CompleteAsync(FileMetaData typed, CancellationToken cancellationToken)
    {
        await StartAsync(cancellationToken).ConfigureAwait(false);
        var schema = typed.Schema;
        if (_encodedSchema is { } encoded)
        {
            CheckSamePhysicalLayout(encoded, schema);
        }

        foreach (var rowGroup in _rowGroups)
        {
            for (var i = 0; i < rowGroup.Columns.Count; i++)
            {
                // A flat schema: the root, then one element per column in column order.
                if (schema[i + 1].LogicalType?.UUID is not null && rowGroup.Columns[i].MetaData?.Statistics is { } statistics)
                {
                    statistics.Min = statistics.Max = statistics.MinValue = statistics.MaxValue = null;
                }
            }
        }

        var footer = new FileMetaData
        {
            Version = typed.Version,
            Schema = schema,
            NumRows = _rows,
            RowGroups = _rowGroups,
            KeyValueMetadata = typed.KeyValueMetadata,
            CreatedBy = typed.CreatedBy,
            ColumnOrders = typed.ColumnOrders,
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

    /// <summary>The typed schema may only add logical types: names, physical types and nesting must be the encoded ones.</summary>
    private static void CheckSamePhysicalLayout(List<SchemaElement> encoded, List<SchemaElement> typed)
    {
        // The length matters for fixed-length byte arrays only (Parquet.Net also records it for integer decimals).
        static string Describe(SchemaElement e) =>
            $"{e.Name} {e.Type}{(e.Type == global::Parquet.Meta.Type.FIXED_LEN_BYTE_ARRAY ? $"({e.TypeLength})" : "")} {e.RepetitionType} children {e.NumChildren}";
        for (var i = 0; i < Math.Max(encoded.Count, typed.Count); i++)
        {
            var a = i < encoded.Count ? Describe(encoded[i]) : "nothing";
            var b = i < typed.Count ? Describe(typed[i]) : "nothing";
            if (a != b)
            {
                throw new InvalidOperationException($"The encoded row groups do not have the physical layout of the file's typed schema: {a} is {b} there.");
            }
        }
    }
}
