namespace Exports.Sdk;

/// <summary>The text encoding of CSV files.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<CsvEncoding>))]
public enum CsvEncoding
{
    /// <summary>UTF-8 (the default).</summary>
    Utf8,

    /// <summary>UTF-16 little-endian.</summary>
    Utf16,
}
