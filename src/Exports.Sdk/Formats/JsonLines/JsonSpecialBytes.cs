using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Exports.Sdk;

/// <summary>The bytes a JSON string must escape: control characters, quotes and backslashes.</summary>
internal readonly struct JsonSpecialBytes : ISpecialBytes
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsSpecial(byte value) => value < 0x20 || value == '"' || value == '\\';

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<byte> Match(Vector128<byte> bytes) =>
        Vector128.LessThan(bytes, Vector128.Create((byte)0x20)) | Vector128.Equals(bytes, Vector128.Create((byte)'"')) | Vector128.Equals(bytes, Vector128.Create((byte)'\\'));
}
