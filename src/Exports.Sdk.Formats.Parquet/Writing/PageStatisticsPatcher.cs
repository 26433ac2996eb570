using static Exports.Sdk.Formats.Parquet.ThriftCompactType;

namespace Exports.Sdk.Formats.Parquet;

/// <summary>
/// Rewrites, in place, the bounds Parquet.Net puts in the data page headers of a column chunk of 16-byte values, where
/// its own comparison is not Parquet's (UUIDs compare as unsigned bytes, 16-byte decimals as signed numbers). Page
/// headers are Thrift compact structs; only the four 16-byte bound fields of a page's statistics are overwritten, with
/// values of the same length, so no size or offset in the file changes. Readers that skip pages by these bounds
/// (newer DuckDB does) would otherwise skip matching rows.
/// </summary>
internal static class PageStatisticsPatcher
{
    /// <summary>Computes the bounds of a page: the values from <c>first</c>, <c>count</c> of them (non-null, in order).</summary>
    public delegate (byte[] Min, byte[] Max) PageBounds(int first, int count);

    /// <summary>
    /// Walks the pages of a column chunk (<paramref name="chunk"/>: its bytes, from its first page header) and rewrites
    /// the bounds of every data page that holds values. <paramref name="levels"/> are the chunk's definition levels
    /// (1 for a value, 0 for a null), one per row, in page order.
    /// </summary>
    public static void Patch(Span<byte> chunk, ReadOnlySpan<int> levels, PageBounds bounds)
    {
        var position = 0;
        var row = 0;
        var value = 0;
        while (position < chunk.Length)
        {
            var header = new PageHeaderFields();
            var reader = new Reader(chunk, position);
            reader.ReadPageHeader(ref header);
            if (header.CompressedSize < 0 || header.DataPageValues < 0)
            {
                throw new InvalidOperationException("Parquet.Net wrote a page header without its sizes.");
            }

            if (header.DataPageValues > 0)
            {
                var values = 0;
                foreach (var level in levels.Slice(row, header.DataPageValues))
                {
                    values += level;
                }

                if (values > 0 && header.BoundFields is { Count: > 0 } fields)
                {
                    var (min, max) = bounds(value, values);
                    foreach (var (offset, isMax) in fields)
                    {
                        (isMax ? max : min).CopyTo(chunk[offset..]);
                    }
                }

                row += header.DataPageValues;
                value += values;
            }

            position = reader.Position + header.CompressedSize;
        }
    }

    /// <summary>What the walk needs of a page header.</summary>
    private struct PageHeaderFields
    {
        public PageHeaderFields()
        {
        }

        public int CompressedSize { get; set; } = -1;

        /// <summary>Rows of a data page (v1 or v2); 0 for other pages.</summary>
        public int DataPageValues { get; set; }

        /// <summary>Where the 16-byte bounds of the page's statistics start, and whether each is a maximum.</summary>
        public List<(int Offset, bool IsMax)>? BoundFields { get; set; }
    }

    private ref struct Reader(Span<byte> bytes, int position)
    {
        private readonly Span<byte> _bytes = bytes;

        public int Position { get; private set; } = position;

        public void ReadPageHeader(ref PageHeaderFields header)
        {
            short id = 0;
            while (NextField(ref id, out var type))
            {
                switch (id)
                {
                    case 3 when type == I32:
                        header.CompressedSize = ReadI32();
                        break;
                    case 5 or 8 when type == Struct:
                        // Data page header (v1) or data page header v2: num_values is field 1 of both, statistics is
                        // field 5 of v1 and 8 of v2.
                        ReadDataPageHeader(ref header, statisticsField: id == 5 ? (short)5 : (short)8);
                        break;
                    default:
                        Skip(type);
                        break;
                }
            }
        }

        private void ReadDataPageHeader(ref PageHeaderFields header, short statisticsField)
        {
            short id = 0;
            while (NextField(ref id, out var type))
            {
                if (id == 1 && type == I32)
                {
                    header.DataPageValues = ReadI32();
                }
                else if (id == statisticsField && type == Struct)
                {
                    header.BoundFields = ReadStatistics();
                }
                else
                {
                    Skip(type);
                }
            }
        }

        /// <summary>Statistics: 1 max, 2 min (deprecated), 5 max_value, 6 min_value, each binary.</summary>
        private List<(int Offset, bool IsMax)> ReadStatistics()
        {
            var fields = new List<(int, bool)>();
            short id = 0;
            while (NextField(ref id, out var type))
            {
                if (type == Binary && id is 1 or 2 or 5 or 6)
                {
                    var length = ReadVarint();
                    if (length != 16)
                    {
                        throw new InvalidOperationException($"Parquet.Net wrote a {length}-byte page bound for a 16-byte column.");
                    }

                    fields.Add((Position, id is 1 or 5));
                    Position += 16;
                }
                else
                {
                    Skip(type);
                }
            }

            return fields;
        }

        /// <summary>Reads a field header; false at the end of the struct.</summary>
        private bool NextField(ref short id, out byte type)
        {
            var header = _bytes[Position++];
            type = (byte)(header & 0x0F);
            if (type == 0)
            {
                return false;
            }

            var delta = header >> 4;
            id = delta != 0 ? (short)(id + delta) : (short)Zigzag(ReadVarint());
            return true;
        }

        private void Skip(byte type)
        {
            switch (type)
            {
                case BoolTrue or BoolFalse:
                    break;
                case I8:
                    Position++;
                    break;
                case I16 or I32 or I64:
                    ReadVarint();
                    break;
                case F64:
                    Position += 8;
                    break;
                case Binary:
                    var length = ReadVarint();
                    Position += (int)length;
                    break;
                case List or Set:
                    var head = _bytes[Position++];
                    var count = head >> 4 == 15 ? (int)ReadVarint() : head >> 4;
                    for (var i = 0; i < count; i++)
                    {
                        Skip((byte)(head & 0x0F));
                    }

                    break;
                case Map:
                    var entries = (int)ReadVarint();
                    if (entries > 0)
                    {
                        var types = _bytes[Position++];
                        for (var i = 0; i < entries; i++)
                        {
                            Skip((byte)(types >> 4));
                            Skip((byte)(types & 0x0F));
                        }
                    }

                    break;
                case Struct:
                    short id = 0;
                    while (NextField(ref id, out var inner))
                    {
                        Skip(inner);
                    }

                    break;
                default:
                    throw new InvalidOperationException($"Parquet.Net wrote a page header with the unknown Thrift type {type}.");
            }
        }

        private int ReadI32() => (int)Zigzag(ReadVarint());

        private static long Zigzag(ulong value) => (long)(value >> 1) ^ -(long)(value & 1);

        private ulong ReadVarint()
        {
            ulong result = 0;
            for (var shift = 0; ; shift += 7)
            {
                var b = _bytes[Position++];
                result |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    return result;
                }
            }
        }
    }
}
