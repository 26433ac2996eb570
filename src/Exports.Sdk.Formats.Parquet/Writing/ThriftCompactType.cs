namespace Exports.Sdk.Formats.Parquet;

/// <summary>The type ids of the Thrift compact protocol, as field headers and list headers carry them.</summary>
internal static class ThriftCompactType
{
    public const byte BoolTrue = 1;
    public const byte BoolFalse = 2;
    public const byte I8 = 3;
    public const byte I16 = 4;
    public const byte I32 = 5;
    public const byte I64 = 6;
    public const byte F64 = 7;
    public const byte Binary = 8;
    public const byte List = 9;
    public const byte Set = 10;
    public const byte Map = 11;
    public const byte Struct = 12;
}
