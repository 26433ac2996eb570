using System.Globalization;

namespace Exports.Sdk;

/// <summary>
/// Reads typed values from <see cref="DestinationDefinition.Settings"/> and gathers every problem, each naming the
/// destination and the setting, so a provider's <see cref="IDestinationProvider.Validate"/> can report them together.
/// Values of secret settings are never repeated in messages.
/// </summary>
/// <remarks>
/// Sizes accept bytes or a unit (<c>8388608</c>, <c>8MiB</c>, <c>8MB</c>, <c>512KiB</c>; MB means MiB here);
/// durations accept <c>hh:mm:ss</c> or a number with a unit (<c>30s</c>, <c>500ms</c>, <c>2m</c>).
/// </remarks>
public sealed class DestinationSettingsReader
{
    private readonly DestinationDefinition _definition;
    private readonly List<string> _problems = [];

    /// <summary>Creates a reader over a definition's settings.</summary>
    /// <param name="definition">The destination definition.</param>
    public DestinationSettingsReader(DestinationDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        _definition = definition;
    }

    /// <summary>Every problem found so far, in the order found.</summary>
    public IReadOnlyList<string> Problems => _problems;

    /// <summary>Records a problem; the destination's name is put in front of it.</summary>
    /// <param name="problem">The problem, e.g. <c>setting 'bucket' is required</c>.</param>
    public void AddProblem(string problem) => _problems.Add($"Destination '{_definition.Name}': {problem}");

    /// <summary>Returns a setting's trimmed value, or null when it is absent or blank.</summary>
    /// <param name="key">The setting key (case-insensitive).</param>
    /// <returns>The value or null.</returns>
    public string? GetString(string key)
    {
        var value = Find(key);
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    /// <summary>Returns a setting's value, recording a problem when it is absent or blank.</summary>
    /// <param name="key">The setting key.</param>
    /// <param name="what">What the setting is, for the message (e.g. <c>the bucket name</c>).</param>
    /// <returns>The value, or null when missing.</returns>
    public string? GetRequiredString(string key, string what)
    {
        var value = GetString(key);
        if (value is null)
        {
            AddProblem($"setting '{key}' ({what}) is required.");
        }

        return value;
    }

    /// <summary>Returns a boolean setting (<c>true</c>/<c>false</c>, case-insensitive).</summary>
    /// <param name="key">The setting key.</param>
    /// <param name="defaultValue">The value when absent.</param>
    /// <returns>The value.</returns>
    public bool GetBoolean(string key, bool defaultValue)
    {
        var text = GetString(key);
        if (text is null)
        {
            return defaultValue;
        }

        if (bool.TryParse(text, out var value))
        {
            return value;
        }

        AddProblem($"setting '{key}' must be true or false, not '{text}'.");
        return defaultValue;
    }

    /// <summary>Returns a whole-number setting within a range.</summary>
    /// <param name="key">The setting key.</param>
    /// <param name="defaultValue">The value when absent.</param>
    /// <param name="min">The smallest value allowed.</param>
    /// <param name="max">The largest value allowed.</param>
    /// <returns>The value.</returns>
    public int GetInt32(string key, int defaultValue, int min, int max)
    {
        var text = GetString(key);
        if (text is null)
        {
            return defaultValue;
        }

        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        AddProblem($"setting '{key}' must be a whole number from {min} to {max}, not '{text}'.");
        return defaultValue;
    }

    /// <summary>Returns a size in bytes within a range (bytes, or KiB/MiB/GiB; KB/MB/GB are read as binary units).</summary>
    /// <param name="key">The setting key.</param>
    /// <param name="defaultValue">The value when absent.</param>
    /// <param name="min">The smallest value allowed.</param>
    /// <param name="max">The largest value allowed.</param>
    /// <returns>The value.</returns>
    public long GetSize(string key, long defaultValue, long min, long max)
    {
        var text = GetString(key);
        if (text is null)
        {
            return defaultValue;
        }

        if (TryParseSize(text, out var value) && value >= min && value <= max)
        {
            return value;
        }

        AddProblem($"setting '{key}' must be a size from {FormatSize(min)} to {FormatSize(max)} (e.g. '8MiB'), not '{text}'.");
        return defaultValue;
    }

    /// <summary>Returns a duration within a range (<c>hh:mm:ss</c>, or a number with <c>ms</c>, <c>s</c>, <c>m</c> or <c>h</c>).</summary>
    /// <param name="key">The setting key.</param>
    /// <param name="defaultValue">The value when absent.</param>
    /// <param name="min">The shortest value allowed.</param>
    /// <param name="max">The longest value allowed.</param>
    /// <returns>The value.</returns>
    public TimeSpan GetTimeSpan(string key, TimeSpan defaultValue, TimeSpan min, TimeSpan max)
    {
        var text = GetString(key);
        if (text is null)
        {
            return defaultValue;
        }

        if (TryParseDuration(text, out var value) && value >= min && value <= max)
        {
            return value;
        }

        AddProblem($"setting '{key}' must be a duration from {min:c} to {max:c} (e.g. '00:00:30' or '30s'), not '{text}'.");
        return defaultValue;
    }

    /// <summary>Returns a list setting split on commas, semicolons or white space, without empty entries.</summary>
    /// <param name="key">The setting key.</param>
    /// <returns>The entries (empty when absent).</returns>
    public IReadOnlyList<string> GetList(string key) =>
        GetString(key)?.Split([',', ';', ' ', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];

    /// <summary>Records a problem for every setting that is neither known nor empty, naming the known ones.</summary>
    /// <param name="known">The provider's settings.</param>
    public void RejectUnknown(IEnumerable<DestinationSettingDescriptor> known)
    {
        ArgumentNullException.ThrowIfNull(known);
        var names = known.Select(s => s.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var key in _definition.Settings.Keys.Where(k => !names.Contains(k)).Order(StringComparer.Ordinal))
        {
            AddProblem($"setting '{key}' is not known; known settings: {string.Join(", ", names.Order(StringComparer.Ordinal))}.");
        }
    }

    /// <summary>Parses a size such as <c>8388608</c>, <c>8MiB</c> or <c>512KB</c>.</summary>
    /// <param name="text">The text.</param>
    /// <param name="bytes">The size in bytes.</param>
    /// <returns>Whether the text is a size.</returns>
    public static bool TryParseSize(string text, out long bytes)
    {
        ArgumentNullException.ThrowIfNull(text);
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
    /// <param name="text">The text.</param>
    /// <param name="value">The duration.</param>
    /// <returns>Whether the text is a duration.</returns>
    public static bool TryParseDuration(string text, out TimeSpan value)
    {
        ArgumentNullException.ThrowIfNull(text);
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
        bytes % (1L << 30) == 0 ? $"{bytes >> 30}GiB"
        : bytes % (1L << 20) == 0 ? $"{bytes >> 20}MiB"
        : bytes % (1L << 10) == 0 ? $"{bytes >> 10}KiB"
        : bytes.ToString(CultureInfo.InvariantCulture);

    private string? Find(string key)
    {
        if (_definition.Settings.TryGetValue(key, out var value))
        {
            return value;
        }

        // A dictionary replaced in code may have lost the case-insensitive comparer.
        return _definition.Settings.FirstOrDefault(p => string.Equals(p.Key, key, StringComparison.OrdinalIgnoreCase)).Value;
    }
}
