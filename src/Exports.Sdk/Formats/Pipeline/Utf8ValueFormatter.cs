using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Exports.Sdk;

/// <summary>
/// Fixed-width UTF-8 code for the values every export writes: ISO dates and timestamps and decimals. These are what
/// separates a fast text writer from a slow one (.NET's format strings are parsed on every call); each method writes
/// exactly the bytes the equivalent .NET format produces. Lengths are checked once per value, then bytes are stored
/// through a reference.
/// </summary>
internal static class Utf8ValueFormatter
{
    /// <summary>The most bytes <see cref="TryWriteDecimal"/> writes: sign, 20 digits, point and leading zeros for scale 28.</summary>
    public const int MaxDecimalLength = 32;

    /// <summary>The length of <c>yyyy-MM-dd</c>.</summary>
    public const int IsoDateLength = 10;

    /// <summary>The length of <c>yyyy-MM-ddTHH:mm:ss.fffZ</c>.</summary>
    public const int IsoTimestampMillisLength = 24;

    /// <summary>The length of <c>yyyy-MM-ddTHH:mm:ss.fffffffZ</c>.</summary>
    public const int IsoTimestampTicksLength = 28;

    private const ulong TicksPerDay = (ulong)TimeSpan.TicksPerDay;

    /// <summary>"00" to "99": two digits with one load each.</summary>
    private static ReadOnlySpan<byte> TwoDigits =>
        "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"u8;

    private static ReadOnlySpan<ulong> PowersOf10 =>
    [
        1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000, 10_000_000_000,
        100_000_000_000, 1_000_000_000_000, 10_000_000_000_000, 100_000_000_000_000, 1_000_000_000_000_000,
        10_000_000_000_000_000, 100_000_000_000_000_000, 1_000_000_000_000_000_000, 10_000_000_000_000_000_000,
    ];

    /// <summary>Writes <c>yyyy-MM-dd</c> (<see cref="IsoDateLength"/> bytes).</summary>
    public static void WriteIsoDate(Span<byte> destination, DateOnly date)
    {
        ref var d = ref Start(destination, IsoDateLength);
        WriteCivilDate(ref d, (uint)date.DayNumber);
    }

    /// <summary>Writes <c>yyyy-MM-ddTHH:mm:ss.fffZ</c> for UTC ticks, the fraction truncated as .NET does.</summary>
    public static void WriteIsoTimestampMillis(Span<byte> destination, long utcTicks)
    {
        ref var d = ref Start(destination, IsoTimestampMillisLength);
        var fraction = WriteDateAndTime(ref d, (ulong)utcTicks);
        var millis = (uint)(fraction / TimeSpan.TicksPerMillisecond);
        var hundreds = millis / 100;
        Unsafe.Add(ref d, 20) = (byte)('0' + hundreds);
        WriteTwo(ref Unsafe.Add(ref d, 21), millis - (hundreds * 100));
        Unsafe.Add(ref d, 23) = (byte)'Z';
    }

    /// <summary>Writes <c>yyyy-MM-ddTHH:mm:ss.fffffffZ</c>, the round-trip ("O") form of a UTC time.</summary>
    public static void WriteIsoTimestampTicks(Span<byte> destination, long utcTicks)
    {
        ref var d = ref Start(destination, IsoTimestampTicksLength);
        var fraction = (uint)WriteDateAndTime(ref d, (ulong)utcTicks);
        // Seven digits: 1 + 2 + 2 + 2.
        var first = fraction / 1_000_000;
        Unsafe.Add(ref d, 20) = (byte)('0' + first);
        fraction -= first * 1_000_000;
        var pair = fraction / 10_000;
        WriteTwo(ref Unsafe.Add(ref d, 21), pair);
        fraction -= pair * 10_000;
        pair = fraction / 100;
        WriteTwo(ref Unsafe.Add(ref d, 23), pair);
        WriteTwo(ref Unsafe.Add(ref d, 25), fraction - (pair * 100));
        Unsafe.Add(ref d, 27) = (byte)'Z';
    }

    /// <summary>
    /// Writes a decimal as <c>decimal.ToString(CultureInfo.InvariantCulture)</c> does, with .NET's own formatting for
    /// the values <see cref="TryWriteDecimal"/> leaves; returns the bytes written. The destination holds at least
    /// <see cref="MaxDecimalLength"/> bytes (.NET writes a decimal in 31 at most).
    /// </summary>
    public static int WriteDecimal(Span<byte> destination, decimal value)
    {
        if (!TryWriteDecimal(destination, value, out var written))
        {
            value.TryFormat(destination, out written, default, System.Globalization.CultureInfo.InvariantCulture);
        }

        return written;
    }

    /// <summary>Writes <c>true</c> or <c>false</c>; returns the bytes written.</summary>
    public static int WriteBoolean(Span<byte> destination, bool value)
    {
        var word = value ? "true"u8 : "false"u8;
        word.CopyTo(destination);
        return word.Length;
    }

    /// <summary>
    /// Writes a decimal as <c>decimal.ToString(CultureInfo.InvariantCulture)</c> does (every digit of its scale, no
    /// exponent, no sign on a negative zero). Returns false, writing nothing, for the rare values whose mantissa does
    /// not fit 64 bits.
    /// </summary>
    public static bool TryWriteDecimal(Span<byte> destination, decimal value, out int written)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var mantissa = ((ulong)(uint)bits[1] << 32) | (uint)bits[0];
        var flags = bits[3];
        if (bits[2] != 0)
        {
            written = 0;
            return false;
        }

        if (destination.Length < MaxDecimalLength)
        {
            written = 0;
            return false;
        }

        var scale = (flags >> 16) & 0xFF;
        var sign = flags < 0 && mantissa != 0 ? 1 : 0;
        var digits = CountDigits(mantissa);
        var length = sign + (digits > scale ? digits - scale : 1) + (scale > 0 ? scale + 1 : 0);
        destination[0] = (byte)'-';

        // From the last digit back, two digits at a time: the fraction (zeros once the mantissa runs out), the point,
        // then the whole part.
        var p = length;
        var fraction = scale;
        for (; fraction >= 2; fraction -= 2)
        {
            var next = mantissa / 100;
            p -= 2;
            WriteTwo(ref destination[p], (uint)(mantissa - (next * 100)));
            mantissa = next;
        }

        if (fraction == 1)
        {
            var next = mantissa / 10;
            destination[--p] = (byte)('0' + (mantissa - (next * 10)));
            mantissa = next;
        }

        if (scale > 0)
        {
            destination[--p] = (byte)'.';
        }

        while (mantissa >= 100)
        {
            var next = mantissa / 100;
            p -= 2;
            WriteTwo(ref destination[p], (uint)(mantissa - (next * 100)));
            mantissa = next;
        }

        if (mantissa >= 10)
        {
            WriteTwo(ref destination[p - 2], (uint)mantissa);
        }
        else
        {
            destination[p - 1] = (byte)('0' + mantissa);
        }

        written = length;
        return true;
    }

    private static int CountDigits(ulong value)
    {
        // log10 from log2 (1233 / 4096 ~ log10 2), then one comparison fixes it.
        var guess = (BitOperations.Log2(value | 1) * 1233) >> 12;
        return guess + 1 + (value >= PowersOf10[guess + 1] ? 1 : 0);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ref byte Start(Span<byte> destination, int length)
    {
        if (destination.Length < length)
        {
            throw new ArgumentException("The destination is too short.", nameof(destination));
        }

        return ref MemoryMarshal.GetReference(destination);
    }

    /// <summary>Writes <c>yyyy-MM-ddTHH:mm:ss.</c> and returns the ticks below the second.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong WriteDateAndTime(ref byte d, ulong ticks)
    {
        var days = ticks / TicksPerDay;
        var timeOfDay = ticks - (days * TicksPerDay);
        WriteCivilDate(ref d, (uint)days);
        Unsafe.Add(ref d, 10) = (byte)'T';
        var seconds = (uint)(timeOfDay / TimeSpan.TicksPerSecond);
        var fraction = timeOfDay - (seconds * (ulong)TimeSpan.TicksPerSecond);
        var hours = seconds / 3600;
        var rest = seconds - (hours * 3600);
        var minutes = rest / 60;
        WriteTwo(ref Unsafe.Add(ref d, 11), hours);
        Unsafe.Add(ref d, 13) = (byte)':';
        WriteTwo(ref Unsafe.Add(ref d, 14), minutes);
        Unsafe.Add(ref d, 16) = (byte)':';
        WriteTwo(ref Unsafe.Add(ref d, 17), rest - (minutes * 60));
        Unsafe.Add(ref d, 19) = (byte)'.';
        return fraction;
    }

    /// <summary>
    /// Writes <c>yyyy-MM-dd</c> for a count of days since 0001-01-01 (the proleptic Gregorian calendar .NET uses), with
    /// the usual era arithmetic: a year that starts on 1 March puts the leap day last.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteCivilDate(ref byte d, uint dayNumber)
    {
        // Days since 0000-03-01: 0001-01-01 is day 306 of year 0 in that calendar.
        var z = dayNumber + 306;
        var era = z / 146_097;
        var dayOfEra = z - (era * 146_097);
        var yearOfEra = (dayOfEra - (dayOfEra / 1_460) + (dayOfEra / 36_524) - (dayOfEra / 146_096)) / 365;
        var dayOfYear = dayOfEra - ((365 * yearOfEra) + (yearOfEra / 4) - (yearOfEra / 100));
        var shiftedMonth = ((5 * dayOfYear) + 2) / 153;
        var day = dayOfYear - (((153 * shiftedMonth) + 2) / 5) + 1;
        var month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
        var year = yearOfEra + (era * 400) + (month <= 2 ? 1u : 0u);

        var century = year / 100;
        WriteTwo(ref d, century);
        WriteTwo(ref Unsafe.Add(ref d, 2), year - (century * 100));
        Unsafe.Add(ref d, 4) = (byte)'-';
        WriteTwo(ref Unsafe.Add(ref d, 5), month);
        Unsafe.Add(ref d, 7) = (byte)'-';
        WriteTwo(ref Unsafe.Add(ref d, 8), day);
    }

    /// <summary>Writes two digits (0 to 99).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteTwo(ref byte destination, uint value) =>
        Unsafe.WriteUnaligned(ref destination, Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref MemoryMarshal.GetReference(TwoDigits), (nint)(value * 2))));
}
