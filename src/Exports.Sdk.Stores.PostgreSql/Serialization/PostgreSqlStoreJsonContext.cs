using System.Text.Json.Serialization;

namespace Exports.Sdk.Stores.PostgreSql;

/// <summary>Source-generated JSON for the records kept in jsonb columns; the same shape as the built-in stores' files.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(StoredDataflow))]
[JsonSerializable(typeof(StoredDestination))]
[JsonSerializable(typeof(StoredDatasetExport))]
[JsonSerializable(typeof(ExportRunRecord))]
[JsonSerializable(typeof(AudienceExportState))]
internal sealed partial class PostgreSqlStoreJsonContext : JsonSerializerContext
{
}
