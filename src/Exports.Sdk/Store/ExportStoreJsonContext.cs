using System.Text.Json.Serialization;

namespace Exports.Sdk;

/// <summary>Source-generated JSON for stored records; both built-in stores use it, so they hold identical data.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, WriteIndented = true)]
[JsonSerializable(typeof(StoredDataflow))]
[JsonSerializable(typeof(StoredDestination))]
[JsonSerializable(typeof(StoredDatasetExport))]
[JsonSerializable(typeof(ExportRunRecord))]
[JsonSerializable(typeof(AudienceExportState))]
[JsonSerializable(typeof(DataflowDefinition))]
[JsonSerializable(typeof(DatasetExportDefinition))]
[JsonSerializable(typeof(DestinationDefinition))]
internal sealed partial class ExportStoreJsonContext : JsonSerializerContext
{
}
