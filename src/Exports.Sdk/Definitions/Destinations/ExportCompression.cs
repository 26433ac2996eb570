namespace Exports.Sdk;

/// <summary>Compression applied around a text format's output.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<ExportCompression>))]
public enum ExportCompression
{
    /// <summary>No compression.</summary>
    None,

    /// <summary>gzip; the file name gets <c>.gz</c>.</summary>
    Gzip,
}
