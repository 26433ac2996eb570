using System.Collections;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Exports.Sdk;

/// <summary>
/// Runs after the <c>Exports</c> section is bound: an empty value (JSON null, an empty environment variable) sets a
/// nullable setting to null, as the reflection binder did; the binder's generated code, which works in native AOT,
/// leaves the default instead, so <c>Csv:Quote = ""</c> would keep quoting on. The settings are found by the code that
/// checks the section before binding (<see cref="ConfigurationShapeChecker"/>), walking it again.
/// </summary>
internal sealed class ExportsConfigurationEmptyValues(IConfiguration section) : IConfigureOptions<ExportsOptions>
{
    public void Configure(ExportsOptions options)
    {
        foreach (var steps in ConfigurationShapeChecker.FindEmptyValues(section, typeof(ExportsOptions)))
        {
            SetNull(options, steps);
        }
    }

    private static void SetNull(object options, object[] steps)
    {
        var target = options;
        foreach (var step in steps.AsSpan(0, steps.Length - 1))
        {
            var next = step switch
            {
                PropertyInfo property => property.GetValue(target),
                string key => target is IDictionary dictionary && dictionary.Contains(key) ? dictionary[key] : null,
                ConfigurationShapeChecker.ListEntry entry => target is IList list && entry.IndexIn(list) is >= 0 and var index ? list[index] : null,
                _ => null,
            };
            if (next is null)
            {
                return;
            }

            target = next;
        }

        switch (steps[^1])
        {
            case PropertyInfo property:
                property.SetValue(target, null);
                break;
            case string key when target is IDictionary dictionary && dictionary.Contains(key):
                dictionary[key] = null;
                break;
            case ConfigurationShapeChecker.ListEntry entry when target is IList list && entry.IndexIn(list) is >= 0 and var index:
                list[index] = null;
                break;
        }
    }
}
