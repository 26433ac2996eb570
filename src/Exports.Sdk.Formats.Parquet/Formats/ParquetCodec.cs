namespace Exports.Sdk.Formats.Parquet;

/// <summary>The column codec of Parquet files (setting <c>codec</c>).</summary>
public enum ParquetCodec
{
    /// <summary><c>snappy</c> (the default): fast, moderate ratio; read by every Parquet engine.</summary>
    Snappy,

    /// <summary><c>zstd</c>: better ratio at similar speed; read by current engines (Spark 3+, DuckDB, Arrow, Snowflake, BigQuery).</summary>
    Zstd,

    /// <summary><c>gzip</c>: the most compatible good-ratio codec, slower to write.</summary>
    Gzip,

    /// <summary><c>none</c>: uncompressed pages.</summary>
    None,
}
