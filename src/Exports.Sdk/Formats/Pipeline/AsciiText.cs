using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Exports.Sdk;

/// <summary>
/// The bytes a text format treats specially (CSV: delimiter, quote, line breaks; JSON: quotes, backslashes, control
/// characters). A struct, so <see cref="AsciiText.TryCopy"/> is compiled once per format with the checks inlined.
/// </summary>
internal interface ISpecialBytes
{
    /// <summary>Whether an ASCII byte is special.</summary>
    bool IsSpecial(byte value);

    /// <summary>A lane is all ones where the byte is special.</summary>
    Vector128<byte> Match(Vector128<byte> bytes);
}

/// <summary>
/// Copies text that is all ASCII (most of what exports hold: ids, e-mails, names, codes) as bytes in one pass that also
/// tells whether any byte is special, 16 characters at a time. Other text is left to the full UTF-8 transcoder.
/// </summary>
internal static class AsciiText
{
    /// <summary>
    /// Copies <paramref name="source"/> to <paramref name="destination"/> (one byte per character) when every character is
    /// ASCII; returns false otherwise, with the destination's content undefined.
    /// </summary>
    /// <param name="specials">The bytes to look for.</param>
    /// <param name="source">The text.</param>
    /// <param name="destination">At least as long as the text.</param>
    /// <param name="special">Whether any of the copied bytes is special.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryCopy<TSpecials>(in TSpecials specials, ReadOnlySpan<char> source, Span<byte> destination, out bool special)
        where TSpecials : struct, ISpecialBytes
    {
        var length = source.Length;
        if (length < 4 || !Vector128.IsHardwareAccelerated)
        {
            return TryCopyShort(specials, source, destination, out special);
        }

        if (destination.Length < length)
        {
            throw new ArgumentException("The destination is shorter than the text.", nameof(destination));
        }

        ref var from = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(source));
        ref var to = ref MemoryMarshal.GetReference(destination);
        var wide = Vector128<ushort>.Zero;
        var found = Vector128<byte>.Zero;
        if (length < 8)
        {
            // Names, codes, statuses: two overlapping loads of four characters cover 4 to 7.
            var head = Unsafe.ReadUnaligned<ulong>(ref Unsafe.As<ushort, byte>(ref from));
            var tail = Unsafe.ReadUnaligned<ulong>(ref Unsafe.As<ushort, byte>(ref Unsafe.Add(ref from, length - 4)));
            var chars = Vector128.Create(head, tail).AsUInt16();
            var narrow = Vector128.Narrow(chars, chars).AsUInt32();
            Unsafe.WriteUnaligned(ref to, narrow.GetElement(0));
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref to, length - 4), narrow.GetElement(1));
            special = specials.Match(narrow.AsByte()) != Vector128<byte>.Zero;
            return ((head | tail) & 0xFF80_FF80_FF80_FF80UL) == 0;
        }

        if (length < 16)
        {
            // Two overlapping loads cover 8 to 15 characters; the halves are stored where they came from.
            var head = Vector128.LoadUnsafe(ref from);
            var tail = Vector128.LoadUnsafe(ref from, (nuint)(length - 8));
            var bytes = Vector128.Narrow(head, tail);
            found = specials.Match(bytes);
            var halves = bytes.AsUInt64();
            Unsafe.WriteUnaligned(ref to, halves.GetElement(0));
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref to, length - 8), halves.GetElement(1));
            special = found != Vector128<byte>.Zero;
            return ((head | tail) & Vector128.Create((ushort)0xFF80)) == Vector128<ushort>.Zero;
        }

        nuint i = 0;
        var last = (nuint)(length - 16);
        while (true)
        {
            var low = Vector128.LoadUnsafe(ref from, i);
            var high = Vector128.LoadUnsafe(ref from, i + 8);
            wide |= low | high;
            var bytes = Vector128.Narrow(low, high);
            found |= specials.Match(bytes);
            bytes.StoreUnsafe(ref to, i);
            if (i == last)
            {
                break;
            }

            // The last block overlaps the one before it rather than running past the end.
            i = Math.Min(i + 16, last);
        }

        special = found != Vector128<byte>.Zero;
        return (wide & Vector128.Create((ushort)0xFF80)) == Vector128<ushort>.Zero;
    }

    private static bool TryCopyShort<TSpecials>(in TSpecials specials, ReadOnlySpan<char> source, Span<byte> destination, out bool special)
        where TSpecials : struct, ISpecialBytes
    {
        var any = false;
        destination = destination[..source.Length];
        for (var i = 0; i < source.Length; i++)
        {
            var c = source[i];
            if (c > 0x7F)
            {
                special = false;
                return false;
            }

            var b = (byte)c;
            any |= specials.IsSpecial(b);
            destination[i] = b;
        }

        special = any;
        return true;
    }
}
