namespace Exports.Sdk;

/// <summary>
/// Dictionaries whose keys are not case-sensitive (settings, contributors). A copy of one built elsewhere (a JSON body,
/// code) that spells a key twice in different case keeps both rather than fail, so validation can name them.
/// </summary>
internal static class CaseInsensitiveKeys
{
    /// <summary>A copy that ignores case, or, when two keys differ only in case, one that keeps them apart.</summary>
    public static Dictionary<string, TValue> Copy<TValue>(Dictionary<string, TValue> source) =>
        Twice(source) is null ? new(source, StringComparer.OrdinalIgnoreCase) : new(source, source.Comparer);

    /// <summary>The spellings of the first key given more than once ignoring case; null when there is none.</summary>
    public static IReadOnlyList<string>? Twice<TValue>(Dictionary<string, TValue> source) =>
        ReferenceEquals(source.Comparer, StringComparer.OrdinalIgnoreCase) || source.Count < 2
            ? null
            : source.Keys.GroupBy(k => k, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1)?.ToList();

    /// <summary>The spellings quoted for a message: <c>'password', 'Password'</c>.</summary>
    public static string Quoted(IReadOnlyList<string> spellings) => string.Join(", ", spellings.Select(k => $"'{k}'"));
}
