using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace Exports.Sdk;

/// <summary>
/// Reads the <c>Exports</c> configuration section against the options types before it is bound, and names every key
/// that is unknown (with the nearest known one) and every value that cannot be converted (with what is allowed). The
/// configuration binder alone drops a destination whose value does not convert, and ignores a misspelt key. The same
/// walk, run again after binding, finds the nullable settings whose value is empty, which
/// <see cref="ExportsConfigurationEmptyValues"/> sets to null.
/// </summary>
internal static class ConfigurationShapeChecker
{
    public static List<string> Check(IConfiguration section, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] Type type, string path) =>
        Read(section, type, path).Problems;

    /// <summary>
    /// The nullable settings whose value is empty (JSON null, an empty environment variable), each as the steps from an
    /// instance of <paramref name="type"/> to it: a property, a dictionary key or a <see cref="ListEntry"/>.
    /// </summary>
    public static List<object[]> FindEmptyValues(IConfiguration section, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] Type type) =>
        Read(section, type, string.Empty).EmptyValues;

    // Every options type the walk reaches from ExportsOptions keeps its properties in a trimmed or native AOT app; a test
    // walks the graph and fails on a type missing here.
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicProperties, typeof(ExportsOptions))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicProperties, typeof(DestinationDefinition))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicProperties, typeof(DataflowDefinition))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicProperties, typeof(DatasetExportDefinition))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicProperties, typeof(ExportOutputOptions))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicProperties, typeof(FileFormatOptions))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicProperties, typeof(CsvFormatOptions))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicProperties, typeof(ExportRunOptions))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicProperties, typeof(ExportSchedule))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicProperties, typeof(AudienceActivation))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicProperties, typeof(DeduplicationKey))]
    private static Reading Read(IConfiguration section, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] Type type, string path)
    {
        var reading = new Reading();
        CheckObject(section, type, path, reading);
        return reading;
    }

    private static void CheckObject(IConfiguration section, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] Type type, string path, Reading reading)
    {
        var problems = reading.Problems;
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod?.IsPublic == true && p.GetIndexParameters().Length == 0)
            .ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        foreach (var child in section.GetChildren())
        {
            var at = $"{path}:{child.Key}";
            if (!properties.TryGetValue(child.Key, out var property))
            {
                var nearest = Nearest(child.Key, properties.Keys);
                problems.Add(nearest is null
                    ? $"{at} is not a known setting; known here: {string.Join(", ", properties.Keys.Order(StringComparer.Ordinal))}."
                    : $"{at} is not a known setting; did you mean {path}:{nearest}?");
                continue;
            }

            CheckStep(child, property.PropertyType, at, reading, property);
        }
    }

    [UnconditionalSuppressMessage("Trimming", "IL2067", Justification = "The types reached from ExportsOptions are kept by Read's DynamicDependency attributes.")]
    [UnconditionalSuppressMessage("Trimming", "IL2072", Justification = "The types reached from ExportsOptions are kept by Read's DynamicDependency attributes.")]
    private static void CheckValue(IConfigurationSection section, Type type, string at, Reading reading)
    {
        var problems = reading.Problems;
        var target = Nullable.GetUnderlyingType(type) ?? type;
        if (target == typeof(string))
        {
            return;
        }

        if (IsSimple(target))
        {
            if (section.Value is null)
            {
                if (section.GetChildren().Any())
                {
                    problems.Add($"{at} has nested keys; it takes a single value ({Allowed(target)}).");
                }

                return;
            }

            if (section.Value.Length == 0 && Nullable.GetUnderlyingType(type) is not null)
            {
                // JSON null and an empty environment variable bind to null.
                reading.EmptyValues.Add([.. reading.Steps]);
                return;
            }

            if (!Converts(section.Value, target))
            {
                problems.Add($"{at} is '{section.Value}', which is not {Allowed(target)}.");
            }

            return;
        }

        if (target.IsGenericType && target.GetGenericTypeDefinition() == typeof(Dictionary<,>))
        {
            var valueType = target.GetGenericArguments()[1];
            if (valueType == typeof(string))
            {
                // Free-form settings (a destination's, a format's): their owner checks the keys it knows.
                return;
            }

            foreach (var entry in section.GetChildren())
            {
                CheckStep(entry, valueType, $"{at}:{entry.Key}", reading, entry.Key);
            }

            return;
        }

        if (target.IsGenericType && typeof(IEnumerable).IsAssignableFrom(target))
        {
            var element = target.GetGenericArguments()[0];
            var entries = section.GetChildren().ToList();
            for (var position = 0; position < entries.Count; position++)
            {
                var entry = entries[position];
                CheckStep(entry, element, $"{at}:{entry.Key}", reading, new ListEntry(position, entries.Count));
            }

            return;
        }

        if (section.Value is { Length: > 0 } && !section.GetChildren().Any())
        {
            // The value is not repeated: a scalar where a destination belongs may be a connection string.
            problems.Add($"{at} is a single value, but it is a section with its own keys.");
            return;
        }

        CheckObject(section, target, at, reading);
    }

    /// <summary>Checks a value one step (a property, a dictionary key, a <see cref="ListEntry"/>) below the current one.</summary>
    private static void CheckStep(IConfigurationSection section, Type type, string at, Reading reading, object step)
    {
        reading.Steps.Add(step);
        CheckValue(section, type, at, reading);
        reading.Steps.RemoveAt(reading.Steps.Count - 1);
    }

    /// <summary>
    /// A list entry from configuration: the binder appends a list's entries in the order of the section's children, whatever
    /// their keys, after any the list already held (added in code), so entry <see cref="Position"/> of
    /// <see cref="Count"/> is item <c>list.Count - Count + Position</c> once bound.
    /// </summary>
    public readonly record struct ListEntry(int Position, int Count)
    {
        /// <summary>Where this entry is in <paramref name="list"/> after binding, or -1 if it is not there.</summary>
        public int IndexIn(IList list)
        {
            var index = list.Count - Count + Position;
            return index >= 0 && index < list.Count ? index : -1;
        }
    }

    /// <summary>What one walk of a section found.</summary>
    private sealed class Reading
    {
        public List<string> Problems { get; } = [];

        /// <summary>The steps to the value being read: properties, dictionary keys and list entries.</summary>
        public List<object> Steps { get; } = [];

        public List<object[]> EmptyValues { get; } = [];
    }

    private static bool IsSimple(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(decimal) || type == typeof(TimeSpan) || type == typeof(DateOnly)
        || type == typeof(TimeOnly) || type == typeof(DateTimeOffset) || type == typeof(DateTime) || type == typeof(Uri);

    private static bool Converts(string value, Type type)
    {
        if (type.IsEnum)
        {
            // Names only: the binder would also take a number, which says nothing to a reader.
            return Enum.GetNames(type).Contains(value.Trim(), StringComparer.OrdinalIgnoreCase);
        }

        // As the configuration binder's generated code reads each type: invariant culture, integers without decimals.
        var text = value.Trim();
        var c = CultureInfo.InvariantCulture;
        return type switch
        {
            _ when type == typeof(bool) => bool.TryParse(text, out _),
            _ when type == typeof(char) => value.Length == 1,
            _ when type == typeof(byte) => byte.TryParse(text, NumberStyles.Integer, c, out _),
            _ when type == typeof(sbyte) => sbyte.TryParse(text, NumberStyles.Integer, c, out _),
            _ when type == typeof(short) => short.TryParse(text, NumberStyles.Integer, c, out _),
            _ when type == typeof(ushort) => ushort.TryParse(text, NumberStyles.Integer, c, out _),
            _ when type == typeof(int) => int.TryParse(text, NumberStyles.Integer, c, out _),
            _ when type == typeof(uint) => uint.TryParse(text, NumberStyles.Integer, c, out _),
            _ when type == typeof(long) => long.TryParse(text, NumberStyles.Integer, c, out _),
            _ when type == typeof(ulong) => ulong.TryParse(text, NumberStyles.Integer, c, out _),
            _ when type == typeof(float) => float.TryParse(text, NumberStyles.Float, c, out _),
            _ when type == typeof(double) => double.TryParse(text, NumberStyles.Float, c, out _),
            _ when type == typeof(decimal) => decimal.TryParse(text, NumberStyles.Float, c, out _),
            _ when type == typeof(TimeSpan) => TimeSpan.TryParse(text, c, out _),
            _ when type == typeof(DateOnly) => DateOnly.TryParse(text, c, out _),
            _ when type == typeof(TimeOnly) => TimeOnly.TryParse(text, c, out _),
            _ when type == typeof(DateTime) => DateTime.TryParse(text, c, out _),
            _ when type == typeof(DateTimeOffset) => DateTimeOffset.TryParse(text, c, out _),
            _ when type == typeof(Uri) => Uri.TryCreate(text, UriKind.RelativeOrAbsolute, out _),
            _ => false,
        };
    }

    private static string Allowed(Type type) => type switch
    {
        _ when type.IsEnum => $"one of {string.Join(", ", Enum.GetNames(type))}",
        _ when type == typeof(bool) => "true or false",
        _ when type == typeof(char) => "a single character",
        _ when type == typeof(int) || type == typeof(long) || type == typeof(short) => "a whole number",
        _ when type == typeof(double) || type == typeof(float) || type == typeof(decimal) => "a number",
        _ when type == typeof(TimeSpan) => "a duration such as 00:00:30",
        _ when type == typeof(DateOnly) => "a date such as 2026-01-31",
        _ when type == typeof(TimeOnly) => "a time of day such as 06:30",
        _ => $"a valid {type.Name}",
    };

    private static string? Nearest(string key, IEnumerable<string> known)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in known)
        {
            var distance = Distance(key.ToUpperInvariant(), candidate.ToUpperInvariant());
            if (distance < bestDistance)
            {
                (best, bestDistance) = (candidate, distance);
            }
        }

        return bestDistance <= Math.Max(2, key.Length / 4) ? best : null;
    }

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
