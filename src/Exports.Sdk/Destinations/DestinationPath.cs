namespace Exports.Sdk;

/// <summary>Rules for paths inside a destination: relative, <c>/</c>-separated, no way out of the root.</summary>
public static class DestinationPath
{
    /// <summary>Joins a folder and a file name with <c>/</c>; an empty folder gives the name alone.</summary>
    /// <param name="folder">The folder (may be null or empty; surrounding slashes are ignored).</param>
    /// <param name="name">The file name.</param>
    /// <returns>The path.</returns>
    public static string Combine(string? folder, string name)
    {
        var trimmed = folder?.Trim('/') ?? "";
        return trimmed.Length == 0 ? name : trimmed + "/" + name;
    }

    /// <summary>
    /// Throws when a path is empty, absolute, uses <c>\</c>, has an empty, <c>.</c> or <c>..</c> segment, or holds
    /// control characters.
    /// </summary>
    /// <param name="path">The path relative to a destination's root.</param>
    /// <param name="destinationName">The destination, for the message.</param>
    /// <exception cref="ExportValidationException">The path is not allowed.</exception>
    public static void Validate(string? path, string destinationName)
    {
        var problem = Check(path);
        if (problem is not null)
        {
            throw new ExportValidationException($"Destination '{destinationName}': the path '{Printable(path)}' is not allowed: {problem}.");
        }
    }

    /// <summary>Returns why a path is not allowed, or null when it is.</summary>
    /// <param name="path">The path relative to a destination's root.</param>
    /// <returns>The reason, or null.</returns>
    public static string? Check(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return "it is empty";
        }

        if (path[0] == '/' || (path.Length > 1 && path[1] == ':'))
        {
            return "it is absolute";
        }

        if (path.Contains('\\', StringComparison.Ordinal))
        {
            return "it contains '\\'; use '/'";
        }

        foreach (var c in path)
        {
            if (char.IsControl(c))
            {
                return "it contains a control character";
            }
        }

        foreach (var segment in path.Split('/'))
        {
            if (segment.Length == 0)
            {
                return "it has an empty segment";
            }

            if (segment is "." or "..")
            {
                return $"it has a '{segment}' segment";
            }
        }

        return null;
    }

    internal static string Printable(string? path) =>
        path is null ? "" : new string([.. path.Select(c => char.IsControl(c) ? '?' : c)]);
}
