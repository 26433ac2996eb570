namespace Exports.Sdk.Formats.Parquet;

/// <summary>Text in the order of its UTF-8 bytes, the order Parquet's statistics use for strings.</summary>
internal static class Utf8Text
{
    /// <summary>
    /// Compares UTF-16 text as its UTF-8 encodings compare: by code point. UTF-16 order agrees except between a
    /// surrogate (a code point from U+10000) and a unit from U+E000, so only the first unit that differs is adjusted.
    /// </summary>
    public static int Compare(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        var common = a.CommonPrefixLength(b);
        if (common == a.Length || common == b.Length)
        {
            return a.Length.CompareTo(b.Length);
        }

        return Rank(a[common]).CompareTo(Rank(b[common]));
    }

    /// <summary>Moves surrogates above U+E000 to U+FFFF, keeping every other order.</summary>
    private static int Rank(char unit) => unit switch
    {
        >= '\uE000' => unit - 0x800,
        >= '\uD800' => unit + 0x2000,
        _ => unit,
    };
}
