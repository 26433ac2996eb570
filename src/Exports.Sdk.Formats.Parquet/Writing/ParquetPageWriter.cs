using System.Buffers.Binary;
using global::Parquet.Meta;

namespace Exports.Sdk.Formats.Parquet;

/// <summary>
/// Writes a column chunk the SDK encodes itself, laid out as Parquet.Net lays out its own: one version 1 data page with
/// the definition levels and the values, PLAIN-encoded (<see cref="Write"/>) or as indices into a dictionary page that
/// comes first (<see cref="WriteDictionary"/>), each page compressed, with its header and the chunk's metadata. Its
/// buffers are reused from chunk to chunk.
/// </summary>
internal sealed class ParquetPageWriter(ParquetPageCompressor compressor)
{
    private byte[] _page = [];

    /// <summary>Strings found repeating in a chunk, reused from chunk to chunk.</summary>
    public StringDictionary Dictionary { get; } = new();

    /// <summary>
    /// Appends a chunk of PLAIN values to <paramref name="output"/> at its position, which the chunk's offsets record.
    /// </summary>
    /// <param name="output">The row group's file; offsets count from its start.</param>
    /// <param name="column">The column's name (a flat schema: its path).</param>
    /// <param name="type">The physical type of the values.</param>
    /// <param name="levels">One definition level per row.</param>
    /// <param name="values">The present values, PLAIN-encoded.</param>
    /// <param name="statistics">The chunk's statistics, also written in the page header.</param>
    public ColumnChunk Write(MemoryStream output, string column, global::Parquet.Meta.Type type, ReadOnlySpan<int> levels, ReadOnlySpan<byte> values, Statistics statistics)
    {
        var page = Page(4 + RleBitPackedHybridEncoder.MaxLength(levels.Length, 1) + values.Length);
        var length = Levels(levels, page);
        values.CopyTo(page[length..]);
        length += values.Length;
        var start = output.Position;
        var (header, compressed) = WriteDataPage(output, page[..length], levels.Length, Encoding.PLAIN, statistics);
        return Chunk(start, column, type, [Encoding.PLAIN, Encoding.RLE], levels.Length, header + length, header + compressed, statistics);
    }

    /// <summary>
    /// Appends a dictionary-encoded chunk: the dictionary page of <paramref name="entries"/> (PLAIN), then a data page of
    /// each present value's index, as Parquet.Net writes dictionaries (PLAIN_DICTIONARY for both pages).
    /// </summary>
    public ColumnChunk WriteDictionary(MemoryStream output, string column, ReadOnlySpan<int> levels, ReadOnlySpan<byte> entries, int entryCount, ReadOnlySpan<int> indices, Statistics statistics)
    {
        var start = output.Position;
        var compressed = compressor.Compress(entries);
        WriteHeader(output, new PageHeader
        {
            Type = PageType.DICTIONARY_PAGE,
            UncompressedPageSize = entries.Length,
            CompressedPageSize = compressed.Length,
            DictionaryPageHeader = new DictionaryPageHeader { NumValues = entryCount, Encoding = Encoding.PLAIN_DICTIONARY },
        });
        output.Write(compressed);
        var dictionary = output.Position - start;
        var dictionaryUncompressed = dictionary - compressed.Length + entries.Length;

        var bitWidth = Math.Max(1, 32 - int.LeadingZeroCount(entryCount - 1));
        var page = Page(4 + RleBitPackedHybridEncoder.MaxLength(levels.Length, 1) + 1 + RleBitPackedHybridEncoder.MaxLength(indices.Length, bitWidth));
        var length = Levels(levels, page);
        page[length++] = (byte)bitWidth;
        length += RleBitPackedHybridEncoder.Encode(indices, bitWidth, page[length..]);
        var dataStart = output.Position;
        var (header, dataCompressed) = WriteDataPage(output, page[..length], levels.Length, Encoding.PLAIN_DICTIONARY, statistics);
        var chunk = Chunk(dataStart, column, global::Parquet.Meta.Type.BYTE_ARRAY, [Encoding.PLAIN_DICTIONARY, Encoding.RLE], levels.Length,
            dictionaryUncompressed + header + length, dictionary + header + dataCompressed, statistics);
        chunk.FileOffset = start;
        chunk.MetaData!.DictionaryPageOffset = start;
        return chunk;
    }

    /// <summary>Writes the levels, after their 4-byte length as a version 1 page holds them; returns the bytes taken.</summary>
    private static int Levels(ReadOnlySpan<int> levels, Span<byte> page)
    {
        var length = RleBitPackedHybridEncoder.Encode(levels, 1, page[4..]);
        BinaryPrimitives.WriteInt32LittleEndian(page, length);
        return 4 + length;
    }

    private static void WriteHeader(MemoryStream output, PageHeader header) => ThriftFooterWriter.WritePageHeader(header, output);

    private ColumnChunk Chunk(long start, string column, global::Parquet.Meta.Type type, List<Encoding> encodings, int rows, long uncompressed, long compressed, Statistics statistics) => new()
    {
        FileOffset = start,
        MetaData = new ColumnMetaData
        {
            Type = type,
            Encodings = encodings,
            PathInSchema = [column],
            Codec = compressor.Codec,
            NumValues = rows,
            TotalUncompressedSize = uncompressed,
            TotalCompressedSize = compressed,
            DataPageOffset = start,
            Statistics = statistics,
        },
    };

    /// <summary>Compresses and appends a data page with its header; returns the header's and the compressed body's sizes.</summary>
    private (long Header, int Compressed) WriteDataPage(MemoryStream output, ReadOnlySpan<byte> page, int rows, Encoding encoding, Statistics statistics)
    {
        var compressed = compressor.Compress(page);
        var start = output.Position;
        WriteHeader(output, new PageHeader
        {
            Type = PageType.DATA_PAGE,
            UncompressedPageSize = page.Length,
            CompressedPageSize = compressed.Length,
            DataPageHeader = new DataPageHeader
            {
                NumValues = rows,
                Encoding = encoding,
                DefinitionLevelEncoding = Encoding.RLE,
                RepetitionLevelEncoding = Encoding.RLE,
                Statistics = statistics,
            },
        });
        var header = output.Position - start;
        output.Write(compressed);
        return (header, compressed.Length);
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
