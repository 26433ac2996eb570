namespace Exports.Sdk;

/// <summary>
/// A full path with the symbolic links among its existing folders followed, as the file system would follow them on a
/// write: a link under a root can then not carry a run-time destination out of it, or into the store.
/// </summary>
internal static class ResolvedPath
{
    // The kernel's own limit on links followed in one lookup (ELOOP).
    private const int MaxLinks = 40;

    /// <summary>The path as written to; parts that do not exist yet are kept as given.</summary>
    /// <exception cref="LoopException">More than 40 links, as in a loop.</exception>
    /// <exception cref="IOException">A folder on the way could not be read.</exception>
    /// <exception cref="UnauthorizedAccessException">A folder on the way may not be read.</exception>
    public static string Of(string fullPath)
    {
        var links = 0;
        return Follow(Path.GetFullPath(fullPath), ref links);
    }

    private static string Follow(string fullPath, ref int links)
    {
        var resolved = Path.GetPathRoot(fullPath)!;
        var parts = fullPath[resolved.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < parts.Length; i++)
        {
            var next = Path.Combine(resolved, parts[i]);
            var info = new DirectoryInfo(next);
            if (info.LinkTarget is { } target)
            {
                if (++links > MaxLinks)
                {
                    throw new LoopException($"Too many symbolic links in '{fullPath}'.");
                }

                // A relative target is relative to the folder holding the link; the target may hold links itself.
                next = Follow(Path.GetFullPath(target, resolved), ref links);
            }
            else if (!info.Exists && !File.Exists(next))
            {
                return Path.Combine([next, .. parts[(i + 1)..]]);
            }

            resolved = next;
        }

        return resolved;
    }

    /// <summary>Too many links followed, as in a loop.</summary>
    /// <param name="message">The message.</param>
    public sealed class LoopException(string message) : IOException(message);
}
