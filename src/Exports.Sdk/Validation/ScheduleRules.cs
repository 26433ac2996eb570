namespace Exports.Sdk;

/// <summary>The schedule checks shared by dataflows and dataset exports.</summary>
internal static class ScheduleRules
{
    /// <summary>Adds every problem of <paramref name="schedule"/> to <paramref name="problems"/>, each starting with <paramref name="at"/>.</summary>
    public static void Validate(ExportSchedule schedule, ExportMode mode, IReadOnlyList<ScheduleFrequency> allowed, string at, List<string> problems)
    {
        if (!allowed.Contains(schedule.Frequency))
        {
            problems.Add($"{at}: Schedule.Frequency '{schedule.Frequency}' is not allowed with Mode '{mode}'; use {string.Join(", ", allowed)}.");
        }

        if (schedule.StartDate == default)
        {
            problems.Add($"{at}: Schedule.StartDate is required.");
        }

        if (schedule.EndDate is { } end)
        {
            if (schedule.Frequency == ScheduleFrequency.Once)
            {
                problems.Add($"{at}: Schedule.EndDate '{end:yyyy-MM-dd}' does not apply to the frequency Once; remove it.");
            }
            else if (end <= schedule.StartDate)
            {
                problems.Add($"{at}: Schedule.EndDate '{end:yyyy-MM-dd}' must be after Schedule.StartDate '{schedule.StartDate:yyyy-MM-dd}' (the end date is exclusive).");
            }
        }

        if (schedule.ParseStartTime() is null)
        {
            problems.Add($"{at}: Schedule.StartTime '{schedule.StartTime}' is not a UTC time of day as HH:mm (00:00 to 23:59).");
        }

        if (!Enum.IsDefined(schedule.Trigger))
        {
            problems.Add($"{at}: Schedule.Trigger '{schedule.Trigger}' is not a trigger type.");
        }
    }
}
