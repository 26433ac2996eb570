using global::Parquet.Meta;
using static Exports.Sdk.Formats.Parquet.ThriftCompactType;

namespace Exports.Sdk.Formats.Parquet;

/// <summary>
/// Serialises a Parquet footer (<see cref="FileMetaData"/>), and the header of the data pages the SDK encodes itself
/// (<see cref="WritePageHeader"/>), with the Thrift compact protocol. Parquet.Net keeps its own serialiser internal;
/// this one writes the fields, in the order and with the ids of <c>parquet.thrift</c>, that Parquet.Net's writer fills,
/// and refuses the ones it never fills (encryption, size and geospatial statistics) rather than dropping them silently.
/// A test checks the bytes against Parquet.Net's own serialiser.
/// </summary>
internal sealed class ThriftFooterWriter
{
    private readonly MemoryStream _output;
    private readonly Stack<short> _enclosingFieldIds = new();
    private short _lastFieldId;

    private ThriftFooterWriter(MemoryStream output) => _output = output;

    /// <summary>Appends the serialised footer to <paramref name="output"/>.</summary>
    public static void Write(FileMetaData metadata, MemoryStream output) => new ThriftFooterWriter(output).FileMetaData(metadata);

    /// <summary>Appends the serialised header of a version 1 data page or a dictionary page (the pages the SDK writes itself).</summary>
    public static void WritePageHeader(PageHeader header, MemoryStream output) => new ThriftFooterWriter(output).PageHeader(header);

    private void PageHeader(PageHeader h)
    {
        var data = h.Type == PageType.DATA_PAGE && h.DictionaryPageHeader is null ? h.DataPageHeader : null;
        var dictionary = h.Type == PageType.DICTIONARY_PAGE && h.DataPageHeader is null ? h.DictionaryPageHeader : null;
        if ((data is null && dictionary is null) || h.DataPageHeaderV2 is not null || h.IndexPageHeader is not null)
        {
            throw new NotSupportedException("Only version 1 data page and dictionary page headers are written.");
        }

        BeginStruct();
        WriteI32(1, (int)h.Type);
        WriteI32(2, h.UncompressedPageSize);
        WriteI32(3, h.CompressedPageSize);
        WriteOptionalI32(4, h.Crc);
        if (data is not null)
        {
            WriteFieldHeader(5, Struct);
            BeginStruct();
            WriteI32(1, data.NumValues);
            WriteI32(2, (int)data.Encoding);
            WriteI32(3, (int)data.DefinitionLevelEncoding);
            WriteI32(4, (int)data.RepetitionLevelEncoding);
            if (data.Statistics is { } statistics)
            {
                WriteFieldHeader(5, Struct);
                Statistics(statistics);
            }

            EndStruct();
        }
        else
        {
            WriteFieldHeader(7, Struct);
            BeginStruct();
            WriteI32(1, dictionary!.NumValues);
            WriteI32(2, (int)dictionary.Encoding);
            if (dictionary.IsSorted is { } sorted)
            {
                WriteBool(3, sorted);
            }

            EndStruct();
        }

        EndStruct();
    }

    private void FileMetaData(FileMetaData m)
    {
        if (m.EncryptionAlgorithm is not null || m.FooterSigningKeyMetadata is not null)
        {
            throw new NotSupportedException("Encrypted Parquet footers are not written.");
        }

        BeginStruct();
        WriteI32(1, m.Version);
        WriteListHeader(2, Struct, m.Schema.Count);
        foreach (var element in m.Schema)
        {
            SchemaElement(element);
        }

        WriteI64(3, m.NumRows);
        WriteListHeader(4, Struct, m.RowGroups.Count);
        foreach (var rowGroup in m.RowGroups)
        {
            RowGroup(rowGroup);
        }

        if (m.KeyValueMetadata is { } pairs)
        {
            WriteListHeader(5, Struct, pairs.Count);
            foreach (var pair in pairs)
            {
                KeyValue(pair);
            }
        }

        if (m.CreatedBy is { } createdBy)
        {
            WriteString(6, createdBy);
        }

        if (m.ColumnOrders is { } orders)
        {
            WriteListHeader(7, Struct, orders.Count);
            foreach (var order in orders)
            {
                BeginStruct();
                if (order.TYPEORDER is not null)
                {
                    WriteEmptyStruct(1);
                }

                EndStruct();
            }
        }

        EndStruct();
    }

    private void SchemaElement(SchemaElement e)
    {
        BeginStruct();
        WriteOptionalI32(1, (int?)e.Type);
        WriteOptionalI32(2, e.TypeLength);
        WriteOptionalI32(3, (int?)e.RepetitionType);
        WriteString(4, e.Name ?? "");
        WriteOptionalI32(5, e.NumChildren);
        WriteOptionalI32(6, (int?)e.ConvertedType);
        WriteOptionalI32(7, e.Scale);
        WriteOptionalI32(8, e.Precision);
        WriteOptionalI32(9, e.FieldId);
        if (e.LogicalType is { } logical)
        {
            WriteFieldHeader(10, Struct);
            LogicalType(logical);
        }

        EndStruct();
    }

    private void LogicalType(LogicalType t)
    {
        if (t.VARIANT is not null || t.GEOMETRY is not null || t.GEOGRAPHY is not null)
        {
            throw new NotSupportedException("Variant and geospatial Parquet types are not written.");
        }

        // A logical type is a union: exactly one of these is set.
        BeginStruct();
        WriteEmptyStructIf(1, t.STRING);
        WriteEmptyStructIf(2, t.MAP);
        WriteEmptyStructIf(3, t.LIST);
        WriteEmptyStructIf(4, t.ENUM);
        if (t.DECIMAL is { } d)
        {
            WriteFieldHeader(5, Struct);
            BeginStruct();
            WriteI32(1, d.Scale);
            WriteI32(2, d.Precision);
            EndStruct();
        }

        WriteEmptyStructIf(6, t.DATE);
        if (t.TIME is { } time)
        {
            WriteFieldHeader(7, Struct);
            TimeOrTimestamp(time.IsAdjustedToUTC, time.Unit);
        }

        if (t.TIMESTAMP is { } timestamp)
        {
            WriteFieldHeader(8, Struct);
            TimeOrTimestamp(timestamp.IsAdjustedToUTC, timestamp.Unit);
        }

        if (t.INTEGER is { } integer)
        {
            WriteFieldHeader(10, Struct);
            BeginStruct();
            WriteFieldHeader(1, I8);
            _output.WriteByte((byte)integer.BitWidth);
            WriteBool(2, integer.IsSigned);
            EndStruct();
        }

        WriteEmptyStructIf(11, t.UNKNOWN);
        WriteEmptyStructIf(12, t.JSON);
        WriteEmptyStructIf(13, t.BSON);
        WriteEmptyStructIf(14, t.UUID);
        WriteEmptyStructIf(15, t.FLOAT16);
        EndStruct();
    }

    private void TimeOrTimestamp(bool adjustedToUtc, TimeUnit unit)
    {
        BeginStruct();
        WriteBool(1, adjustedToUtc);
        WriteFieldHeader(2, Struct);
        BeginStruct();
        WriteEmptyStructIf(1, unit.MILLIS);
        WriteEmptyStructIf(2, unit.MICROS);
        WriteEmptyStructIf(3, unit.NANOS);
        EndStruct();
        EndStruct();
    }

    private void RowGroup(RowGroup rowGroup)
    {
        BeginStruct();
        WriteListHeader(1, Struct, rowGroup.Columns.Count);
        foreach (var column in rowGroup.Columns)
        {
            ColumnChunk(column);
        }

        WriteI64(2, rowGroup.TotalByteSize);
        WriteI64(3, rowGroup.NumRows);
        if (rowGroup.SortingColumns is { } sorting)
        {
            WriteListHeader(4, Struct, sorting.Count);
            foreach (var column in sorting)
            {
                BeginStruct();
                WriteI32(1, column.ColumnIdx);
                WriteBool(2, column.Descending);
                WriteBool(3, column.NullsFirst);
                EndStruct();
            }
        }

        WriteOptionalI64(5, rowGroup.FileOffset);
        WriteOptionalI64(6, rowGroup.TotalCompressedSize);
        if (rowGroup.Ordinal is { } ordinal)
        {
            WriteFieldHeader(7, I16);
            WriteZigZag(ordinal);
        }

        EndStruct();
    }

    private void ColumnChunk(ColumnChunk chunk)
    {
        if (chunk.CryptoMetadata is not null || chunk.EncryptedColumnMetadata is not null)
        {
            throw new NotSupportedException("Encrypted Parquet columns are not written.");
        }

        BeginStruct();
        if (chunk.FilePath is { } filePath)
        {
            WriteString(1, filePath);
        }

        WriteI64(2, chunk.FileOffset);
        if (chunk.MetaData is { } metadata)
        {
            WriteFieldHeader(3, Struct);
            ColumnMetaData(metadata);
        }

        WriteOptionalI64(4, chunk.OffsetIndexOffset);
        WriteOptionalI32(5, chunk.OffsetIndexLength);
        WriteOptionalI64(6, chunk.ColumnIndexOffset);
        WriteOptionalI32(7, chunk.ColumnIndexLength);
        EndStruct();
    }

    private void ColumnMetaData(ColumnMetaData m)
    {
        if (m.SizeStatistics is not null || m.GeospatialStatistics is not null)
        {
            throw new NotSupportedException("Size and geospatial statistics are not written.");
        }

        BeginStruct();
        WriteI32(1, (int)m.Type);
        WriteListHeader(2, I32, m.Encodings.Count);
        foreach (var encoding in m.Encodings)
        {
            WriteZigZag((int)encoding);
        }

        WriteListHeader(3, Binary, m.PathInSchema.Count);
        foreach (var segment in m.PathInSchema)
        {
            WriteStringValue(segment);
        }

        WriteI32(4, (int)m.Codec);
        WriteI64(5, m.NumValues);
        WriteI64(6, m.TotalUncompressedSize);
        WriteI64(7, m.TotalCompressedSize);
        if (m.KeyValueMetadata is { } pairs)
        {
            WriteListHeader(8, Struct, pairs.Count);
            foreach (var pair in pairs)
            {
                KeyValue(pair);
            }
        }

        WriteI64(9, m.DataPageOffset);
        WriteOptionalI64(10, m.IndexPageOffset);
        WriteOptionalI64(11, m.DictionaryPageOffset);
        if (m.Statistics is { } statistics)
        {
            WriteFieldHeader(12, Struct);
            Statistics(statistics);
        }

        if (m.EncodingStats is { } encodingStats)
        {
            WriteListHeader(13, Struct, encodingStats.Count);
            foreach (var stat in encodingStats)
            {
                BeginStruct();
                WriteI32(1, (int)stat.PageType);
                WriteI32(2, (int)stat.Encoding);
                WriteI32(3, stat.Count);
                EndStruct();
            }
        }

        WriteOptionalI64(14, m.BloomFilterOffset);
        WriteOptionalI32(15, m.BloomFilterLength);
        EndStruct();
    }

    private void Statistics(Statistics s)
    {
        BeginStruct();
        WriteOptionalBinary(1, s.Max);
        WriteOptionalBinary(2, s.Min);
        WriteOptionalI64(3, s.NullCount);
        WriteOptionalI64(4, s.DistinctCount);
        WriteOptionalBinary(5, s.MaxValue);
        WriteOptionalBinary(6, s.MinValue);
        if (s.IsMaxValueExact is { } maxExact)
        {
            WriteBool(7, maxExact);
        }

        if (s.IsMinValueExact is { } minExact)
        {
            WriteBool(8, minExact);
        }

        EndStruct();
    }

    private void KeyValue(KeyValue pair)
    {
        BeginStruct();
        WriteString(1, pair.Key ?? "");
        if (pair.Value is { } value)
        {
            WriteString(2, value);
        }

        EndStruct();
    }

    // Field ids are written as deltas from the previous field of the same struct, so each struct keeps its own.
    private void BeginStruct()
    {
        _enclosingFieldIds.Push(_lastFieldId);
        _lastFieldId = 0;
    }

    private void EndStruct()
    {
        _output.WriteByte(0);
        _lastFieldId = _enclosingFieldIds.Pop();
    }

    private void WriteFieldHeader(short id, byte type)
    {
        if (id > _lastFieldId && id - _lastFieldId <= 15)
        {
            _output.WriteByte((byte)(((id - _lastFieldId) << 4) | type));
        }
        else
        {
            _output.WriteByte(type);
            WriteZigZag(id);
        }

        _lastFieldId = id;
    }

    private void WriteEmptyStruct(short id)
    {
        WriteFieldHeader(id, Struct);
        BeginStruct();
        EndStruct();
    }

    private void WriteEmptyStructIf(short id, object? member)
    {
        if (member is not null)
        {
            WriteEmptyStruct(id);
        }
    }

    private void WriteListHeader(short id, byte elementType, int count)
    {
        WriteFieldHeader(id, List);
        if (count <= 14)
        {
            _output.WriteByte((byte)((count << 4) | elementType));
        }
        else
        {
            _output.WriteByte((byte)(0xF0 | elementType));
            WriteVarInt((uint)count);
        }
    }

    // Booleans live in the field header itself.
    private void WriteBool(short id, bool value) => WriteFieldHeader(id, value ? BoolTrue : BoolFalse);

    private void WriteI32(short id, int value)
    {
        WriteFieldHeader(id, I32);
        WriteZigZag(value);
    }

    private void WriteOptionalI32(short id, int? value)
    {
        if (value is { } v)
        {
            WriteI32(id, v);
        }
    }

    private void WriteI64(short id, long value)
    {
        WriteFieldHeader(id, I64);
        WriteVarInt((ulong)((value << 1) ^ (value >> 63)));
    }

    private void WriteOptionalI64(short id, long? value)
    {
        if (value is { } v)
        {
            WriteI64(id, v);
        }
    }

    private void WriteOptionalBinary(short id, byte[]? value)
    {
        if (value is not null)
        {
            WriteFieldHeader(id, Binary);
            WriteVarInt((uint)value.Length);
            _output.Write(value);
        }
    }

    private void WriteString(short id, string value)
    {
        WriteFieldHeader(id, Binary);
        WriteStringValue(value);
    }

    private void WriteStringValue(string value)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(value);
        WriteVarInt((uint)bytes.Length);
        _output.Write(bytes);
    }

    private void WriteZigZag(int value) => WriteVarInt((uint)((value << 1) ^ (value >> 31)));

    private void WriteVarInt(ulong value)
    {
        while (value >= 0x80)
        {
            _output.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        _output.WriteByte((byte)value);
    }
}
