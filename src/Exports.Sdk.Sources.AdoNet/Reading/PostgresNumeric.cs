using System.Buffers.Binary;

namespace Exports.Sdk.Sources.AdoNet;

/// <summary>
/// Turns a PostgreSQL <c>numeric</c> in its binary form (what Npgsql's <see cref="System.Data.Common.DbDataReader.GetBytes"/>
/// returns for it) into a <see cref="decimal"/> with integer arithmetic. Npgsql builds the decimal with decimal
/// multiplications, additions and a division for every value, which was most of the cost of a numeric column in a
/// PostgreSQL export (docs/performance/log.md). The result is the one Npgsql gives, scale included (the display scale, so
/// 1.50 in a numeric(12,2) stays 1.50); what this does not cover (NaN, infinities, more than 28 decimals, a value a
/// decimal cannot hold) is left to the provider, which reads it or fails as it always did.
/// </summary>
internal static class PostgresNumeric
{
    /// <summary>The longest value read here: a header and eight base-10000 digits (up to 32 decimal digits).</summary>
    public const int MaxBytes = 8 + (2 * MaxDigits);

    private const int MaxDigits = 8;
    private const ushort Positive = 0x0000;
    private const ushort Negative = 0x4000;

    /// <summary>10^0 to 10^32: the digits of eight base-10000 digits, to move a value by at most that much.</summary>
    private static readonly UInt128[] Powers = CreatePowers();

    /// <summary>The largest mantissa a decimal holds, 2^96 - 1.</summary>
    private static readonly UInt128 MaxMantissa = (UInt128.One << 96) - 1;

    /// <summary>
    /// Reads a value laid out as PostgreSQL sends it: digit count, weight (of the first base-10000 digit), sign and display
    /// scale, 16 bits each and big-endian, then the digits; false when the provider should read it instead.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> value, out decimal result)
    {
        result = default;
        if (value.Length < 8)
        {
            return false;
        }

        var digits = BinaryPrimitives.ReadInt16BigEndian(value);
        var weight = BinaryPrimitives.ReadInt16BigEndian(value[2..]);
        var sign = BinaryPrimitives.ReadUInt16BigEndian(value[4..]);
        var scale = BinaryPrimitives.ReadUInt16BigEndian(value[6..]);
        if (digits is < 0 or > MaxDigits || value.Length != 8 + (2 * digits) || sign is not (Positive or Negative) || scale > 28)
        {
            return false;
        }

        if (digits == 0)
        {
            result = new decimal(0, 0, 0, false, (byte)scale);
            return true;
        }

        // The digits as one integer, then moved to the display scale: the value is that integer times
        // 10000^(weight - digits + 1), and the decimal's mantissa is the value times 10^scale.
        var exponent = (4 * (weight - digits + 1)) + scale;
        var negative = sign == Negative;
        var first = Math.Min((int)digits, 4);
        ulong head = 0;
        for (var i = 0; i < first; i++)
        {
            head = (head * 10_000) + Digit(value, i);
        }

        if (digits <= 4 && exponent is <= 0 and >= -16)
        {
            // The common case (a numeric(12,2), say) in 64 bits: at most 16 decimal digits, divided down to the scale.
            var divisor = (ulong)Powers[-exponent];
            var quotient = head / divisor;
            if (quotient * divisor != head)
            {
                return false;
            }

            result = new decimal((int)quotient, (int)(quotient >> 32), 0, negative && quotient != 0, (byte)scale);
            return true;
        }

        UInt128 mantissa = head;
        for (var i = first; i < digits; i++)
        {
            mantissa = (mantissa * 10_000) + Digit(value, i);
        }

        if (exponent > 0)
        {
            if (exponent > 28 || mantissa > MaxMantissa / Powers[exponent])
            {
                return false;
            }

            mantissa *= Powers[exponent];
        }
        else if (exponent < 0)
        {
            // Digits past the display scale are zeros in a value PostgreSQL sends; anything else is the provider's.
            if (exponent < -32)
            {
                return false;
            }

            var quotient = mantissa / Powers[-exponent];
            if (quotient * Powers[-exponent] != mantissa)
            {
                return false;
            }

            mantissa = quotient;
        }

        if (mantissa > MaxMantissa)
        {
            return false;
        }

        var low = (ulong)mantissa;
        result = new decimal((int)low, (int)(low >> 32), (int)(uint)(mantissa >> 64), negative && mantissa != 0, (byte)scale);
        return true;
    }

    /// <summary>The i-th base-10000 digit, after the 8-byte header.</summary>
    private static ushort Digit(ReadOnlySpan<byte> value, int i) => BinaryPrimitives.ReadUInt16BigEndian(value[(8 + (2 * i))..]);

    private static UInt128[] CreatePowers()
    {
        var powers = new UInt128[33];
        powers[0] = 1;
        for (var i = 1; i < powers.Length; i++)
        {
            powers[i] = powers[i - 1] * 10;
        }

        return powers;
    }
}
