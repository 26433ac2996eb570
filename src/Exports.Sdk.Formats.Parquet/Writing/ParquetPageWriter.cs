using System.Buffers.Binary;
using global::Parquet.Meta;

namespace Exports.Sdk.Formats.Parquet;

/// <summary>
/// Writes a column chunk the SDK encodes itself: one version 1 data page holding the definition levels and the values
/// in PLAIN encoding, compressed, with its header and the chunk's metadata, laid out as Parquet.Net lays out its own.
/// Its buffers are reused from chunk to chunk.
/// </summary>
internal sealed class ParquetPageWriter(ParquetPageCompressor compressor)
{
    private byte[] _page = [];

    /// <summary>
    /// Appends the chunk to <paramref name="output"/> at its position, which the chunk's offsets record.
    /// </summary>
    /// <param name="output">The row group's file; offsets count from its start.</param>
    /// <param name="column">The column's name (a flat schema: its path).</param>
    /// <param name="type">The physical type of the values.</param>
    /// <param name="levels">One definition level per row.</param>
    /// <param name="values">The present values, PLAIN-encoded.</param>
    /// <param name="statistics">The chunk's statistics, also written in the page header.</param>
    public ColumnChunk Write(MemoryStream output, string column, global::Parquet.Meta.Type type, ReadOnlySpan<int> levels, ReadOnlySpan<byte> values, Statistics statistics)
    {
        var page = Page(4 + DefinitionLevelEncoder.MaxLength(levels.Length) + values.Length);
        var levelBytes = DefinitionLevelEncoder.Encode(levels, page[4..]);
        BinaryPrimitives.WriteInt32LittleEndian(page, levelBytes);
        values.CopyTo(page[(4 + levelBytes)..]);
        var uncompressed = 4 + levelBytes + values.Length;
        var compressed = compressor.Compress(page[..uncompressed]);

        var start = output.Position;
        ThriftFooterWriter.WritePageHeader(
            new PageHeader
            {
                Type = PageType.DATA_PAGE,
                UncompressedPageSize = uncompressed,
                CompressedPageSize = compressed.Length,
                DataPageHeader = new DataPageHeader
                {
                    NumValues = levels.Length,
                    Encoding = Encoding.PLAIN,
                    DefinitionLevelEncoding = Encoding.RLE,
                    RepetitionLevelEncoding = Encoding.RLE,
                    Statistics = statistics,
                },
            },
            output);
        var header = output.Position - start;
        output.Write(compressed);
        return new ColumnChunk
        {
            FileOffset = start,
            MetaData = new ColumnMetaData
            {
                Type = type,
                Encodings = [Encoding.PLAIN, Encoding.RLE],
                PathInSchema = [column],
                Codec = compressor.Codec,
                NumValues = levels.Length,
                TotalUncompressedSize = header + uncompressed,
                TotalCompressedSize = header + compressed.Length,
                DataPageOffset = start,
                Statistics = statistics,
            },
        };
    }

    private Span<byte> Page(int length)
    {
        if (_page.Length < length)
        {
            _page = new byte[Math.Max(length, _page.Length * 2)];
        }

        return _page;
    }
}
