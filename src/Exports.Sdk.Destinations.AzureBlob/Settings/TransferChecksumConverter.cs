using System.ComponentModel;
using System.Globalization;
using Azure.Storage;

namespace Exports.Sdk.Destinations.AzureBlob;

/// <summary>The setting <c>transferChecksum</c>: <c>md5</c>, <c>crc64</c> or <c>none</c>, as the docs write them.</summary>
[Description("md5, crc64 or none")]
internal sealed class TransferChecksumConverter : TypeConverter
{
    public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType) => sourceType == typeof(string);

    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value) =>
        ((string)value).ToUpperInvariant() switch
        {
            "MD5" => StorageChecksumAlgorithm.MD5,
            "CRC64" or "STORAGECRC64" => StorageChecksumAlgorithm.StorageCrc64,
            "NONE" => StorageChecksumAlgorithm.None,
            _ => throw new FormatException("md5, crc64 or none"),
        };

    public override object? ConvertTo(ITypeDescriptorContext? context, CultureInfo? culture, object? value, Type destinationType) =>
        value switch
        {
            StorageChecksumAlgorithm.StorageCrc64 => "crc64",
            StorageChecksumAlgorithm.None => "none",
            _ => "md5",
        };
}
