using System.ComponentModel;
using System.Globalization;
using System.Reflection;

namespace Exports.Sdk;

/// <summary>
/// Text ⇄ value for one setting type. Sizes (<see cref="long"/>) accept bytes or a unit (<c>8MiB</c>, <c>512KB</c>;
/// MB means MiB here), durations <c>hh:mm:ss</c> or a number with a unit (<c>30s</c>, <c>500ms</c>, <c>2m</c>),
/// enums their names in any case; a property's <see cref="TypeConverterAttribute"/> wins over all of these (its
/// <see cref="DescriptionAttribute"/> says, for messages, what a valid value looks like).
/// </summary>
internal sealed class SettingValue
{
    private readonly TypeConverter? _converter;

    private SettingValue(Type type, TypeConverter? converter)
    {
        Type = type;
        _converter = converter;
    }

    /// <summary>The value type, without <see cref="Nullable{T}"/>.</summary>
    public Type Type { get; }

    public static SettingValue For(Type type, TypeConverterAttribute? converter)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        var custom = converter is null ? null : (TypeConverter)Activator.CreateInstance(Type.GetType(converter.ConverterTypeName, throwOnError: true)!)!;
        var supported = custom is not null || underlying == typeof(string) || underlying == typeof(bool) || underlying == typeof(int)
            || underlying == typeof(long) || underlying == typeof(TimeSpan) || underlying == typeof(Uri) || underlying.IsEnum;
        return supported
            ? new SettingValue(underlying, custom)
            : throw new NotSupportedException($"A destination setting of type {type} needs a [TypeConverter].");
    }

    /// <summary>What a valid value looks like, for messages: <c>a size (e.g. '8MiB')</c>.</summary>
    public string Expected =>
        _converter is not null ? _converter.GetType().GetCustomAttribute<DescriptionAttribute>()?.Description ?? "a valid value"
        : Type == typeof(bool) ? "true or false"
        : Type == typeof(int) ? "a whole number"
        : Type == typeof(long) ? "a size (e.g. '8MiB')"
        : Type == typeof(TimeSpan) ? "a duration (e.g. '00:00:30' or '30s')"
        : Type == typeof(Uri) ? "an absolute URL"
        : Type.IsEnum ? "one of " + string.Join(", ", Enum.GetNames(Type))
        : "text";

    public bool TryParse(string text, out object? value)
    {
        value = null;
        if (_converter is not null)
        {
            try
            {
                value = _converter.ConvertFromInvariantString(text);
                return value is not null;
            }
            catch (Exception e) when (e is FormatException or NotSupportedException or ArgumentException)
            {
                return false;
            }
        }

        if (Type == typeof(string))
        {
            value = text;
        }
        else if (Type == typeof(bool) && bool.TryParse(text, out var flag))
        {
            value = flag;
        }
        else if (Type == typeof(int) && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
        {
            value = number;
        }
        else if (Type == typeof(long) && TryParseSize(text, out var bytes))
        {
            value = bytes;
        }
        else if (Type == typeof(TimeSpan) && TryParseDuration(text, out var duration))
        {
            value = duration;
        }
        else if (Type == typeof(Uri) && Uri.TryCreate(text, UriKind.Absolute, out var uri))
        {
            value = uri;
        }
        else if (Type.IsEnum && !char.IsAsciiDigit(text[0]) && text[0] != '-' && Enum.TryParse(Type, text, ignoreCase: true, out var member))
        {
            value = member;
        }

        return value is not null;
    }

    public string Format(object value) =>
        _converter is not null ? _converter.ConvertToInvariantString(value) ?? ""
        : value switch
        {
            bool b => b ? "true" : "false",
            long bytes => FormatSize(bytes),
            TimeSpan t => t.ToString("c", CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };

    /// <summary>Parses a size such as <c>8388608</c>, <c>8MiB</c> or <c>512KB</c>.</summary>
    public static bool TryParseSize(string text, out long bytes)
    {
        var t = text.Trim();
        var digits = 0;
        while (digits < t.Length && char.IsAsciiDigit(t[digits]))
        {
            digits++;
        }

        bytes = 0;
        if (digits == 0 || !long.TryParse(t.AsSpan(0, digits), NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }

        long multiplier = t[digits..].Trim().ToUpperInvariant() switch
        {
            "" or "B" => 1,
            "K" or "KB" or "KIB" => 1L << 10,
            "M" or "MB" or "MIB" => 1L << 20,
            "G" or "GB" or "GIB" => 1L << 30,
            _ => 0,
        };
        if (multiplier == 0 || number > long.MaxValue / multiplier)
        {
            return false;
        }

        bytes = number * multiplier;
        return true;
    }

    /// <summary>Parses a duration such as <c>00:00:30</c>, <c>30s</c>, <c>500ms</c>, <c>2m</c> or <c>1h</c>.</summary>
    public static bool TryParseDuration(string text, out TimeSpan value)
    {
        var t = text.Trim();
        if (t.Contains(':', StringComparison.Ordinal))
        {
            return TimeSpan.TryParse(t, CultureInfo.InvariantCulture, out value) && value >= TimeSpan.Zero;
        }

        var (number, unit) = t.EndsWith("ms", StringComparison.OrdinalIgnoreCase) ? (t[..^2], 0.001)
            : t.EndsWith('s') || t.EndsWith('S') ? (t[..^1], 1.0)
            : t.EndsWith('m') || t.EndsWith('M') ? (t[..^1], 60.0)
            : t.EndsWith('h') || t.EndsWith('H') ? (t[..^1], 3600.0)
            : (t, 0.0);
        value = TimeSpan.Zero;
        if (unit == 0 || !double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount) || amount * unit > TimeSpan.MaxValue.TotalSeconds)
        {
            return false;
        }

        value = TimeSpan.FromSeconds(amount * unit);
        return true;
    }

    private static string FormatSize(long bytes) =>
        bytes != 0 && bytes % (1L << 30) == 0 ? $"{bytes >> 30}GiB"
        : bytes != 0 && bytes % (1L << 20) == 0 ? $"{bytes >> 20}MiB"
        : bytes != 0 && bytes % (1L << 10) == 0 ? $"{bytes >> 10}KiB"
        : bytes.ToString(CultureInfo.InvariantCulture);
}
