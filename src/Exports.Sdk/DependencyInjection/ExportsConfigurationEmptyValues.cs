using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Exports.Sdk;

/// <summary>
/// Runs after the <c>Exports</c> section is bound: an empty value (JSON null, an empty environment variable) sets a
/// nullable setting to null, as the reflection binder did; the binder's generated code, which works in native AOT,
/// leaves the default instead, so <c>Csv:Quote = ""</c> would keep quoting on.
/// </summary>
internal sealed class ExportsConfigurationEmptyValues(IConfiguration section) : IConfigureOptions<ExportsOptions>
{
    public void Configure(ExportsOptions options) => Apply(section, options);

    [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = "The options types reached from ExportsOptions keep their public properties (ConfigurationShapeChecker.Check's DynamicDependency attributes).")]
    private static void Apply(IConfiguration section, object target)
    {
        foreach (var child in section.GetChildren())
        {
            // Unknown keys were refused before binding.
            var property = target.GetType().GetProperty(child.Key, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null)
            {
                continue;
            }

            if (child.Value is { Length: 0 } && Nullable.GetUnderlyingType(property.PropertyType) is not null && property.SetMethod?.IsPublic == true)
            {
                property.SetValue(target, null);
            }
            else if (child.Value is null && property.GetValue(target) is { } value)
            {
                ApplyWithin(child, value);
            }
        }
    }

    private static void ApplyWithin(IConfigurationSection section, object value)
    {
        switch (value)
        {
            case string:
                return;
            case IDictionary dictionary:
                foreach (var entry in section.GetChildren())
                {
                    if (dictionary.Contains(entry.Key) && dictionary[entry.Key] is { } item)
                    {
                        ApplyWithin(entry, item);
                    }
                }

                return;
            case IList list:
                foreach (var entry in section.GetChildren())
                {
                    if (int.TryParse(entry.Key, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < list.Count && list[index] is { } item)
                    {
                        ApplyWithin(entry, item);
                    }
                }

                return;
            default:
                if (!value.GetType().IsPrimitive && !value.GetType().IsEnum)
                {
                    Apply(section, value);
                }

                return;
        }
    }
}
