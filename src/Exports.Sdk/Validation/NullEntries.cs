namespace Exports.Sdk;

/// <summary>
/// Names the <c>null</c> entries of a definition's lists: read from JSON (<c>"audiences": [null]</c>) they get past the
/// nullable annotations, and the validators' other checks read every entry.
/// </summary>
internal static class NullEntries
{
    public static void Add<T>(List<string> problems, string where, string field, IReadOnlyList<T?> entries)
    {
        for (var i = 0; i < entries.Count; i++)
        {
            if (entries[i] is null)
            {
                problems.Add($"{where}: {field}[{i}] is null; remove the empty entry.");
            }
        }
    }
}
