using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace Exports.Sdk;

/// <summary>
/// Binds a destination's typed options from its string settings (configuration, code or a connection created at run
/// time all take this path), writes them back, and describes them for the catalog. The settings are the properties
/// marked <see cref="DestinationSettingAttribute"/>; defaults are the properties' initial values, written once.
/// </summary>
/// <remarks>
/// Binding gathers every problem, each naming the destination and the setting; a secret's value is never repeated.
/// After the settings are read, an options type that implements <see cref="IValidatableObject"/> checks what spans
/// several settings.
/// </remarks>
public static class DestinationSettingsBinder
{
    /// <summary>What binding reads of an options type by reflection, kept by the trimmer (and native AOT) for every options type.</summary>
    internal const DynamicallyAccessedMemberTypes OptionsMembers = DynamicallyAccessedMemberTypes.PublicProperties | DynamicallyAccessedMemberTypes.PublicParameterlessConstructor;

    /// <summary>The settings of an options type, as the catalog lists them.</summary>
    /// <typeparam name="TOptions">The options type.</typeparam>
    /// <returns>One descriptor per setting, in declaration order.</returns>
    public static IReadOnlyList<DestinationSettingDescriptor> Describe<[DynamicallyAccessedMembers(OptionsMembers)] TOptions>()
        where TOptions : class, new() => Shape<TOptions>.Descriptors;

    /// <summary>Binds options from a definition's settings and validates them.</summary>
    /// <typeparam name="TOptions">The options type.</typeparam>
    /// <param name="definition">The destination definition.</param>
    /// <param name="problems">Every problem found (unknown, missing, malformed or out-of-range settings, then the options' own checks).</param>
    /// <returns>The options, partly filled when there are problems.</returns>
    public static TOptions Bind<[DynamicallyAccessedMembers(OptionsMembers)] TOptions>(DestinationDefinition definition, out IReadOnlyList<string> problems)
        where TOptions : class, new()
    {
        ArgumentNullException.ThrowIfNull(definition);
        var options = new TOptions();
        problems = BindInto(definition, options);
        return options;
    }

    /// <summary>Binds settings into an existing instance (the options pattern's), returning every problem.</summary>
    internal static IReadOnlyList<string> BindInto<[DynamicallyAccessedMembers(OptionsMembers)] TOptions>(DestinationDefinition definition, TOptions options)
        where TOptions : class, new()
    {
        var found = new List<string>();
        var known = Shape<TOptions>.Settings;
        foreach (var key in definition.Settings.Where(p => !string.IsNullOrWhiteSpace(p.Value)).Select(p => p.Key)
            .Where(k => !known.Any(s => s.Key.Equals(k, StringComparison.OrdinalIgnoreCase))).Order(StringComparer.Ordinal))
        {
            found.Add($"setting '{key}' is not known; known settings: {string.Join(", ", known.Select(s => s.Key).Order(StringComparer.Ordinal))}.");
        }

        foreach (var setting in known)
        {
            var text = Find(definition.Settings, setting.Key);
            if (text is null)
            {
                if (setting.Attribute.IsRequired)
                {
                    found.Add($"setting '{setting.Key}' is required ({setting.What}).");
                }
            }
            else if (!setting.TryRead(options, text, out var problem))
            {
                found.Add(problem);
            }
        }

        if (options is IValidatableObject validatable)
        {
            found.AddRange(validatable.Validate(new ValidationContext(options, string.IsNullOrEmpty(definition.Name) ? typeof(TOptions).Name : definition.Name, serviceProvider: null, items: null)).Select(r => r.ErrorMessage ?? "").Where(m => m.Length > 0));
        }

        return [.. found.Select(p => $"Destination '{definition.Name}': {p}")];
    }

    /// <summary>Writes options into settings (the inverse of <see cref="Bind{TOptions}"/>); a null value removes its key.</summary>
    /// <typeparam name="TOptions">The options type.</typeparam>
    /// <param name="options">The options.</param>
    /// <param name="settings">The settings, e.g. <see cref="DestinationDefinition.Settings"/>.</param>
    public static void Write<[DynamicallyAccessedMembers(OptionsMembers)] TOptions>(TOptions options, IDictionary<string, string?> settings)
        where TOptions : class, new()
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(settings);
        foreach (var setting in Shape<TOptions>.Settings)
        {
            if (setting.Text(options) is { } text)
            {
                settings[setting.Key] = text;
            }
            else
            {
                settings.Remove(setting.Key);
            }
        }
    }

    private static string? Find(Dictionary<string, string?> settings, string key)
    {
        // A dictionary replaced in code may have lost the case-insensitive comparer.
        var value = settings.TryGetValue(key, out var v) ? v : settings.FirstOrDefault(p => p.Key.Equals(key, StringComparison.OrdinalIgnoreCase)).Value;
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    private static class Shape<[DynamicallyAccessedMembers(OptionsMembers)] TOptions>
        where TOptions : class, new()
    {
        public static readonly IReadOnlyList<Setting> Settings = [.. typeof(TOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetCustomAttribute<DestinationSettingAttribute>() is not null)
            .OrderBy(p => p.HasMetadataToken() ? p.MetadataToken : 0) // declaration order; native AOT keeps no tokens but lists properties in that order
            .Select(p => new Setting(p))];

        public static readonly IReadOnlyList<DestinationSettingDescriptor> Descriptors = Describe();

        private static DestinationSettingDescriptor[] Describe()
        {
            var defaults = new TOptions();
            return [.. Settings.Select(s => new DestinationSettingDescriptor(s.Key, s.Attribute.Description)
            {
                IsRequired = s.Attribute.IsRequired,
                IsSecret = s.Attribute.IsSecret,
                AuthScheme = s.Attribute.AuthScheme,
                FileContentMarker = s.Attribute.FileContentMarker,
                DefaultValue = s.Text(defaults) is { Length: > 0 } text && !s.Attribute.IsSecret ? text : null,
            })];
        }
    }

    private sealed class Setting
    {
        private readonly PropertyInfo _property;
        private readonly SettingValue _value;
        private readonly bool _isList;
        private readonly IComparable? _minimum;
        private readonly IComparable? _maximum;

        public Setting(PropertyInfo property)
        {
            _property = property;
            Attribute = property.GetCustomAttribute<DestinationSettingAttribute>()!;
            Key = Attribute.Name ?? char.ToLowerInvariant(property.Name[0]) + property.Name[1..];
            _isList = property.PropertyType != typeof(string) && typeof(IList<string>).IsAssignableFrom(property.PropertyType);
            _value = SettingValue.For(_isList ? typeof(string) : property.PropertyType, property.GetCustomAttribute<TypeConverterAttribute>());
            _minimum = Limit(Attribute.Minimum);
            _maximum = Limit(Attribute.Maximum);
        }

        public DestinationSettingAttribute Attribute { get; }

        public string Key { get; }

        /// <summary>The description as a phrase for messages: "the bucket name".</summary>
        public string What => char.ToLowerInvariant(Attribute.Description[0]) + Attribute.Description[1..].TrimEnd('.');

        public bool TryRead(object options, string text, [NotNullWhen(false)] out string? problem)
        {
            problem = null;
            if (_isList)
            {
                var list = (IList<string>)_property.GetValue(options)!;
                foreach (var item in text.Split([',', ';', ' ', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    list.Add(item);
                }

                return true;
            }

            if (_value.TryParse(text, out var value) && InRange(value!))
            {
                _property.SetValue(options, value);
                return true;
            }

            var range = _minimum is null && _maximum is null ? ""
                : _maximum is null ? $" of at least {_value.Format(_minimum!)}"
                : $" from {_value.Format(_minimum ?? "")} to {_value.Format(_maximum)}";
            // A URL that does not parse may be a pasted connection string or SAS URL: its value is not repeated either.
            problem = Attribute.IsSecret || _property.PropertyType == typeof(Uri)
                ? $"setting '{Key}' must be {_value.Expected}{range}."
                : $"setting '{Key}' must be {_value.Expected}{range}, not '{text}'.";
            return false;
        }

        public string? Text(object options) =>
            _property.GetValue(options) switch
            {
                null => null,
                IList<string> list when _isList => list.Count == 0 ? null : string.Join(",", list),
                var value => _value.Format(value),
            };

        private bool InRange(object value) =>
            (_minimum is null || _minimum.CompareTo(value) <= 0) && (_maximum is null || _maximum.CompareTo(value) >= 0);

        private IComparable? Limit(string? text) =>
            text is null ? null
            : _value.TryParse(text, out var value) && value is IComparable comparable ? comparable
            : throw new InvalidOperationException($"{_property.DeclaringType}.{_property.Name}: limit '{text}' is not {_value.Expected}.");
    }
}
