namespace Exports.Sdk.Formats.Parquet;

/// <summary>How a column's values are held and handed to Parquet.Net: the type Parquet stores them as.</summary>
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

    /// <summary>Wider decimals, converted by Parquet.Net to fixed-length byte arrays.</summary>
    Decimal,

    /// <summary>BOOLEAN.</summary>
    Boolean,

    /// <summary>16-byte UUIDs.</summary>
    Guid,
}
