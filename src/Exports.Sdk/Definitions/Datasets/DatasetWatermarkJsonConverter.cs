using System.Text.Json;
using System.Text.Json.Serialization;

namespace Exports.Sdk;

/// <summary>
/// Stores a watermark as its text (<c>int64:42</c>, <c>timestamp:…</c>), so run records keep its type. Public because
/// stores' source-generated JSON contexts in other packages must reach it.
/// </summary>
public sealed class DatasetWatermarkJsonConverter : JsonConverter<DatasetWatermark>
{
    /// <inheritdoc />
    public override DatasetWatermark Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        try
        {
            return DatasetWatermark.Parse(reader.GetString() ?? "");
        }
        catch (FormatException ex)
        {
            throw new JsonException(ex.Message, ex);
        }
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, DatasetWatermark value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}
