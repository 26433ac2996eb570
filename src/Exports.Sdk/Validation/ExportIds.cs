using System.Text;

namespace Exports.Sdk;

/// <summary>
/// The rule shared by dataflow and dataset export ids: they key the export's records in the store, where the file store
/// makes a file name of them (up to three characters a byte), so they are limited in bytes; and they are a segment of
/// the API's and the dashboard's addresses and appear in log lines, so they hold no slash, line break or other control
/// character, and are not ".", ".." or "new".
/// </summary>
internal static class ExportIds
{
    public const int MaxBytes = 80;

    /// <summary>The problem with <paramref name="id"/>, naming only its start when it is too long; null when it is fine.</summary>
    public static string? Problem(string kind, string? id)
    {
        if (string.IsNullOrEmpty(id))
        {
            return null;
        }

        if (Encoding.UTF8.GetByteCount(id) is var bytes && bytes > MaxBytes)
        {
            return $"{kind} '{DestinationPath.Printable(id[..Math.Min(id.Length, 24)])}…': Id is {bytes} bytes long in UTF-8; at most {MaxBytes}.";
        }

        if (id.Equals("new", StringComparison.OrdinalIgnoreCase))
        {
            // The dashboard's address of the form that adds one (#/exports/new), as for destinations.
            return $"{kind} 'new': Id 'new' is reserved; choose another.";
        }

        return id is "." or ".." || string.IsNullOrWhiteSpace(id) || char.IsWhiteSpace(id[0]) || char.IsWhiteSpace(id[^1]) || id.Any(c => c is '/' or '\\' || char.IsControl(c) || IsLineOrDirection(c))
            ? $"{kind} '{DestinationPath.Printable(id)}': Id must not be '.' or '..', begin or end with a space, or hold '/', '\\', a control character (a line break, a tab) or a line or direction mark."
            : null;
    }

    /// <summary>Line and paragraph separators and bidirectional controls: they break or reorder a log line as a line break does.</summary>
    private static bool IsLineOrDirection(char c) => c is '\u2028' or '\u2029' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');
}
