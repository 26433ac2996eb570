namespace Exports.Sdk;

/// <summary>When an activated audience is exported.</summary>
public sealed class ExportSchedule
{
    /// <summary>How often. Default <see cref="ScheduleFrequency.Daily"/>; must suit the audience's <see cref="ExportMode"/>.</summary>
    public ScheduleFrequency Frequency { get; set; } = ScheduleFrequency.Daily;

    /// <summary>The first day (UTC).</summary>
    public DateOnly StartDate { get; set; }

    /// <summary>The day the schedule stops, exclusive (UTC). Default: none. Not allowed with <see cref="ScheduleFrequency.Once"/>.</summary>
    public DateOnly? EndDate { get; set; }

    /// <summary>The time of day in UTC, <c>HH:mm</c> (24-hour). Default <c>00:00</c>.</summary>
    public string StartTime { get; set; } = "00:00";

    /// <summary>What starts each run. Default <see cref="ScheduleTrigger.Scheduled"/>.</summary>
    public ScheduleTrigger Trigger { get; set; } = ScheduleTrigger.Scheduled;

    /// <summary>Parses <see cref="StartTime"/>; null when it is not a valid <c>HH:mm</c>.</summary>
    /// <returns>The time of day, or null.</returns>
    public TimeOnly? ParseStartTime() =>
        StartTime is { Length: 5 } text && text[2] == ':'
        && TimeOnly.TryParseExact(text, "HH:mm", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var time)
            ? time
            : null;

    /// <summary>Returns a copy.</summary>
    /// <returns>The copy.</returns>
    public ExportSchedule Clone() => (ExportSchedule)MemberwiseClone();
}
