using System.Text;

namespace Exports.Sdk;

/// <summary>Makes text from audience data safe as a file name on every destination.</summary>
internal static class FileNameSanitizer
{
    /// <summary>The longest file name, in characters and in UTF-8 bytes (the limit of common file systems).</summary>
    public const int MaxLength = 255;

    /// <summary>Room a rendered name leaves for the part suffix and extensions (e.g. <c>_12.jsonl.gz</c>) when it is shortened.</summary>
    public const int SuffixReserve = 32;

    /// <summary>
    /// Characters no destination accepts in a name, that would make a path of it, or that hide or reorder what a person
    /// reads (format characters such as U+202E right-to-left override and U+200B zero-width space; line separators).
    /// </summary>
    public static bool IsForbidden(char c) =>
        char.IsControl(c) || c is '/' or '\\' or ':' or '*' or '?' or '"' or '<' or '>' or '|' || char.IsSurrogate(c)
        || char.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.Format or System.Globalization.UnicodeCategory.LineSeparator
            or System.Globalization.UnicodeCategory.ParagraphSeparator;

    /// <summary>Replaces forbidden characters with <c>_</c> and defuses leading dots.</summary>
    public static string Sanitize(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        var builder = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            builder.Append(IsForbidden(c) ? '_' : c);
        }

        // "..", "." or ".hidden" would be a path segment or a hidden file on its own.
        for (var i = 0; i < builder.Length && builder[i] == '.'; i++)
        {
            builder[i] = '_';
        }

        return builder.ToString();
    }

    /// <summary>
    /// Trims a base name so that base + suffix fits in <see cref="MaxLength"/> characters and UTF-8 bytes,
    /// and never ends in a space or dot.
    /// </summary>
    public static string Fit(string baseName, string suffix)
    {
        var budget = MaxLength - suffix.Length;
        var suffixBytes = Encoding.UTF8.GetByteCount(suffix);
        var length = Math.Min(baseName.Length, budget);
        while (length > 0 && (Encoding.UTF8.GetByteCount(baseName.AsSpan(0, length)) + suffixBytes > MaxLength
            || char.IsHighSurrogate(baseName[length - 1])))
        {
            length--;
        }

        var fitted = baseName[..length].TrimEnd(' ', '.');
        return fitted.Length == 0 ? "_" : fitted;
    }
}
