using System.ComponentModel;
using System.Globalization;
using Azure.Storage.Blobs;

namespace Exports.Sdk.Destinations.AzureBlob;

/// <summary>The setting <c>serviceVersion</c>: a storage service version as Azure writes it, <c>2026-06-06</c>.</summary>
[Description("a storage service version such as 2026-06-06")]
internal sealed class ServiceVersionConverter : TypeConverter
{
    public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType) => sourceType == typeof(string);

    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value) =>
        Enum.TryParse<BlobClientOptions.ServiceVersion>("V" + ((string)value).Replace('-', '_'), ignoreCase: true, out var version) && Enum.IsDefined(version)
            ? version
            : throw new FormatException("a storage service version such as 2026-06-06");

    public override object? ConvertTo(ITypeDescriptorContext? context, CultureInfo? culture, object? value, Type destinationType) =>
        value is BlobClientOptions.ServiceVersion version ? version.ToString()[1..].Replace('_', '-') : null;
}
