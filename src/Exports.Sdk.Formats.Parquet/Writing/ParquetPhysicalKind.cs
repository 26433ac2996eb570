namespace Exports.Sdk.Formats.Parquet;

/// <summary>How a column's values are held and encoded: the type Parquet stores them as.</summary>
internal enum ParquetPhysicalKind
{
    /// <summary>UTF-8 byte arrays.</summary>
    String,

    /// <summary>INT32: integers, dates (days since 1970) and decimals of up to 9 digits (unscaled).</summary>
    Int32,

    /// <summary>INT64: longs, timestamps (microseconds since 1970) and decimals of up to 18 digits (unscaled).</summary>
    Int64,

    /// <summary>DOUBLE.</summary>
    Double,

    /// <summary>Wider decimals of other byte lengths, converted by Parquet.Net to fixed-length byte arrays.</summary>
    Decimal,

    /// <summary>
    /// Decimals of 16-byte fixed-length arrays (the default, 38 digits): the big-endian two's complement of the unscaled
    /// value, computed here and held as UUIDs of the same 16 bytes.
    /// </summary>
    Decimal16,

    /// <summary>BOOLEAN.</summary>
    Boolean,

    /// <summary>16-byte UUIDs.</summary>
    Guid,
}
