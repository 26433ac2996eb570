using System.Collections;
using System.Reflection;
using System.Text.RegularExpressions;

namespace Exports.Sdk.AspNetCore;

/// <summary>
/// What a body's value at a JSON path should have been, in the caller's words ("one of DailyFullExport, …", "true or
/// false"), found by walking the body's type along the path. System.Text.Json names only the .NET type it could not
/// convert to, which a caller of the API does not know.
/// </summary>
internal static partial class ExpectedJsonValue
{
    /// <summary>The expectation at <paramref name="path"/> (e.g. <c>$.audiences[0].mode</c>) of a <paramref name="root"/> body, or null when unknown.</summary>
    public static string? At(Type root, string? path)
    {
        if (string.IsNullOrEmpty(path) || !path.StartsWith('$'))
        {
            return null;
        }

        var type = root;
        foreach (Match step in Step().Matches(path[1..]))
        {
            type = step.Groups["index"].Success ? ElementType(type) : PropertyType(type, step.Groups["name"].Success ? step.Groups["name"].Value : step.Groups["quoted"].Value);
            if (type is null)
            {
                return null;
            }
        }

        return Describe(Nullable.GetUnderlyingType(type) ?? type);
    }

    private static string? Describe(Type type) =>
        type.IsEnum ? $"one of {string.Join(", ", Enum.GetNames(type))}"
        : type == typeof(bool) ? "true or false"
        : type == typeof(int) || type == typeof(long) || type == typeof(short) ? "a whole number"
        : type == typeof(double) || type == typeof(decimal) || type == typeof(float) ? "a number"
        : type == typeof(string) ? "a string"
        : type == typeof(char) ? "a single character"
        : type == typeof(DateOnly) ? "a date such as \"2026-01-31\""
        : type == typeof(DateTimeOffset) || type == typeof(DateTime) ? "a date and time such as \"2026-01-31T06:30:00Z\""
        : type == typeof(TimeSpan) ? "a duration such as \"00:30:00\""
        : type == typeof(Uri) ? "a URL"
        : DictionaryValueType(type) is not null || typeof(IDictionary).IsAssignableFrom(type) ? "an object of named values"
        : ElementType(type) is not null ? "an array"
        : type.IsClass ? "an object"
        : null;

    private static Type? PropertyType(Type type, string name)
    {
        if (DictionaryValueType(type) is { } value)
        {
            return value;
        }

        return type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))?.PropertyType;
    }

    private static Type? ElementType(Type type) =>
        type == typeof(string) ? null
        : type.IsArray ? type.GetElementType()
        : (IsGeneric(type, typeof(IEnumerable<>)) ? type : type.GetInterfaces().FirstOrDefault(i => IsGeneric(i, typeof(IEnumerable<>))))
            ?.GetGenericArguments()[0] is { } element && DictionaryValueType(type) is null ? element : null;

    private static Type? DictionaryValueType(Type type) =>
        (IsGeneric(type, typeof(IDictionary<,>)) || IsGeneric(type, typeof(IReadOnlyDictionary<,>)) ? type
            : type.GetInterfaces().FirstOrDefault(i => IsGeneric(i, typeof(IDictionary<,>)) || IsGeneric(i, typeof(IReadOnlyDictionary<,>))))
        ?.GetGenericArguments()[1];

    private static bool IsGeneric(Type type, Type definition) => type.IsGenericType && type.GetGenericTypeDefinition() == definition;

    /// <summary>One step of a System.Text.Json path: <c>.name</c>, <c>['name']</c> or <c>[0]</c>.</summary>
    [GeneratedRegex(@"\.(?<name>[^.\[]+)|\['(?<quoted>(?:[^'\\]|\\.)*)'\]|\[(?<index>\d+)\]")]
    private static partial Regex Step();
}
