namespace Exports.Sdk;

/// <summary>
/// Computes when a schedule fires, in UTC: from <see cref="ExportSchedule.StartDate"/> at <see cref="ExportSchedule.StartTime"/>,
/// up to the exclusive <see cref="ExportSchedule.EndDate"/> (no occurrence on or after that day).
/// </summary>
/// <remarks>
/// Monthly schedules keep the start date's day of month; in shorter months they fire on the last day (a schedule
/// starting on the 31st fires on 30 April, 28 or 29 February, then 31 March). Weekly schedules fire every 7 days.
/// Hourly frequencies count from the first occurrence and run across midnight.
/// </remarks>
public static class ScheduleCalculator
{
    /// <summary>The occurrences in [<paramref name="from"/>, <paramref name="to"/>), in order.</summary>
    /// <param name="schedule">The schedule.</param>
    /// <param name="from">The start of the window (inclusive).</param>
    /// <param name="to">The end of the window (exclusive).</param>
    /// <returns>The occurrences.</returns>
    public static IEnumerable<DateTimeOffset> Occurrences(ExportSchedule schedule, DateTimeOffset from, DateTimeOffset to)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        foreach (var occurrence in All(schedule))
        {
            if (occurrence >= to)
            {
                yield break;
            }

            if (occurrence >= from)
            {
                yield return occurrence;
            }
        }
    }

    /// <summary>The last occurrence at or before <paramref name="at"/>, or null.</summary>
    /// <param name="schedule">The schedule.</param>
    /// <param name="at">The instant.</param>
    /// <returns>The occurrence or null.</returns>
    public static DateTimeOffset? Previous(ExportSchedule schedule, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        DateTimeOffset? previous = null;
        foreach (var occurrence in All(schedule))
        {
            if (occurrence > at)
            {
                break;
            }

            previous = occurrence;
        }

        return previous;
    }

    /// <summary>The first occurrence strictly after <paramref name="after"/>, or null when the schedule has ended.</summary>
    /// <param name="schedule">The schedule.</param>
    /// <param name="after">The instant.</param>
    /// <returns>The occurrence or null.</returns>
    public static DateTimeOffset? Next(ExportSchedule schedule, DateTimeOffset after)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        foreach (var occurrence in All(schedule))
        {
            if (occurrence > after)
            {
                return occurrence;
            }
        }

        return null;
    }

    /// <summary>Every occurrence, in order (finite when there is an end date or the frequency is Once).</summary>
    private static IEnumerable<DateTimeOffset> All(ExportSchedule schedule)
    {
        var time = schedule.ParseStartTime() ?? TimeOnly.MinValue;
        var first = new DateTimeOffset(schedule.StartDate.ToDateTime(time, DateTimeKind.Utc));
        var end = schedule.EndDate is { } endDate ? new DateTimeOffset(endDate.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc)) : DateTimeOffset.MaxValue;
        if (schedule.Frequency == ScheduleFrequency.Once)
        {
            yield return first;
            yield break;
        }

        for (var n = 0; ; n++)
        {
            var occurrence = schedule.Frequency switch
            {
                ScheduleFrequency.Daily => first.AddDays(n),
                ScheduleFrequency.Weekly => first.AddDays(7 * n),
                ScheduleFrequency.Monthly => Monthly(schedule.StartDate, time, n),
                ScheduleFrequency.Every3Hours => first.AddHours(3 * n),
                ScheduleFrequency.Every6Hours => first.AddHours(6 * n),
                ScheduleFrequency.Every8Hours => first.AddHours(8 * n),
                ScheduleFrequency.Every9Hours => first.AddHours(9 * n),
                ScheduleFrequency.Every12Hours => first.AddHours(12 * n),
                _ => throw new ArgumentOutOfRangeException(nameof(schedule), schedule.Frequency, "Unknown frequency."),
            };
            if (occurrence >= end)
            {
                yield break;
            }

            yield return occurrence;
        }
    }

    private static DateTimeOffset Monthly(DateOnly start, TimeOnly time, int months)
    {
        var month = new DateOnly(start.Year, start.Month, 1).AddMonths(months);
        var day = Math.Min(start.Day, DateTime.DaysInMonth(month.Year, month.Month));
        return new DateTimeOffset(new DateOnly(month.Year, month.Month, day).ToDateTime(time, DateTimeKind.Utc));
    }
}
