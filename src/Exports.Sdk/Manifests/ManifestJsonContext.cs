using System.Text.Json.Serialization;

namespace Exports.Sdk;

/// <summary>Source-generated (reflection-free) JSON for manifests.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ExportManifest))]
internal sealed partial class ManifestJsonContext : JsonSerializerContext
{
}
