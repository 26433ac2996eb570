using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Exports.Sdk;

/// <summary>The bytes that make a CSV field need quoting or escaping: delimiter, line breaks, quote and escape.</summary>
internal readonly struct CsvSpecialBytes : ISpecialBytes
{
    private readonly ulong _low;
    private readonly ulong _high;
    private readonly Vector128<byte> _a;
    private readonly Vector128<byte> _b;
    private readonly Vector128<byte> _c;
    private readonly Vector128<byte> _d;
    private readonly Vector128<byte> _e;

    /// <param name="bytes">Two to five ASCII bytes.</param>
    public CsvSpecialBytes(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if (b < 64)
            {
                _low |= 1UL << b;
            }
            else
            {
                _high |= 1UL << (b - 64);
            }
        }

        // Missing slots repeat the first byte, so every comparison is always made.
        Vector128<byte> At(ReadOnlySpan<byte> all, int i) => Vector128.Create(all[i < all.Length ? i : 0]);
        _a = At(bytes, 0);
        _b = At(bytes, 1);
        _c = At(bytes, 2);
        _d = At(bytes, 3);
        _e = At(bytes, 4);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsSpecial(byte value) => ((value < 64 ? _low >> value : _high >> (value - 64)) & 1) != 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<byte> Match(Vector128<byte> bytes) =>
        Vector128.Equals(bytes, _a) | Vector128.Equals(bytes, _b) | Vector128.Equals(bytes, _c) | Vector128.Equals(bytes, _d) | Vector128.Equals(bytes, _e);
}
