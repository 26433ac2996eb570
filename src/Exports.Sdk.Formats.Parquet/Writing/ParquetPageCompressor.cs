using System.IO.Compression;
using global::Parquet.Meta;
using Snappier;

namespace Exports.Sdk.Formats.Parquet;

/// <summary>
/// Compresses the pages the SDK encodes itself with the file's codec, into a buffer reused from page to page (one per
/// row-group buffer, so one per encoding worker). Zstandard levels are the ones Parquet.Net uses for its own pages.
/// </summary>
internal sealed class ParquetPageCompressor(ParquetCodec codec, CompressionLevel level)
{
    private byte[] _buffer = [];
    private MemoryStream? _gzip;

    /// <summary>The codec as the column metadata names it.</summary>
    public CompressionCodec Codec => codec switch
    {
        ParquetCodec.Zstd => CompressionCodec.ZSTD,
        ParquetCodec.Gzip => CompressionCodec.GZIP,
        ParquetCodec.None => CompressionCodec.UNCOMPRESSED,
        _ => CompressionCodec.SNAPPY,
    };

    /// <summary>The compressed page; valid until the next call.</summary>
    public ReadOnlySpan<byte> Compress(ReadOnlySpan<byte> page)
    {
        switch (codec)
        {
            case ParquetCodec.None:
                return page;
            case ParquetCodec.Gzip:
                var gzip = _gzip ??= new MemoryStream();
                gzip.SetLength(0);
                using (var stream = new GZipStream(gzip, level, leaveOpen: true))
                {
                    stream.Write(page);
                }

                return gzip.GetBuffer().AsSpan(0, (int)gzip.Length);
            case ParquetCodec.Zstd:
                using (var zstd = new ZstdSharp.Compressor(ZstdLevel(level)))
                {
                    var into = Buffer(ZstdSharp.Compressor.GetCompressBound(page.Length));
                    return into[..zstd.Wrap(page, into)];
                }

            default:
                var output = Buffer(Snappy.GetMaxCompressedLength(page.Length));
                return output[..Snappy.Compress(page, output)];
        }
    }

    private static int ZstdLevel(CompressionLevel level) => level switch
    {
        CompressionLevel.Optimal => 3,
        CompressionLevel.Fastest or CompressionLevel.NoCompression => 1,
        CompressionLevel.SmallestSize => 19,
        _ => 0,
    };

    private Span<byte> Buffer(int length)
    {
        if (_buffer.Length < length)
        {
            _buffer = new byte[Math.Max(length, _buffer.Length * 2)];
        }

        return _buffer;
    }
}
