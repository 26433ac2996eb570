using System.Text.RegularExpressions;

namespace Exports.Sdk.Stores.PostgreSql;

/// <summary>Checks and quotes identifiers that are spliced into SQL (schema names cannot be parameters).</summary>
internal static partial class PostgreSqlNames
{
    public static bool IsValid(string? name) => name is not null && Identifier().IsMatch(name);

    public static string Quote(string name) =>
        IsValid(name) ? $"\"{name}\"" : throw new ArgumentException($"'{name}' is not a valid schema name (lower-case letters, digits and _, starting with a letter or _, at most 63 characters).", nameof(name));

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex Identifier();
}
