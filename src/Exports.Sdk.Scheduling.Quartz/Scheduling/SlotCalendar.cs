namespace Exports.Sdk.Scheduling.Quartz;

/// <summary>
/// The occurrence rules the clustered scheduler follows: <see cref="ScheduleCalculator"/>'s, so month-end clamping,
/// exclusive end dates and hourly frequencies match the in-process scheduler exactly. Tests substitute a calendar
/// with occurrences seconds apart (no public frequency is that short).
/// </summary>
internal class SlotCalendar
{
    public virtual DateTimeOffset? Previous(ExportSchedule schedule, DateTimeOffset at) => ScheduleCalculator.Previous(schedule, at);

    public virtual DateTimeOffset? Next(ExportSchedule schedule, DateTimeOffset after) => ScheduleCalculator.Next(schedule, after);

    public virtual IEnumerable<DateTimeOffset> Occurrences(ExportSchedule schedule, DateTimeOffset from, DateTimeOffset to) => ScheduleCalculator.Occurrences(schedule, from, to);

    /// <summary>When an audience's job should next wake: now if an occurrence is due and not completed, else the next one.</summary>
    public DateTimeOffset? NextWake(ExportSchedule schedule, AudienceExportState? state, DateTimeOffset now)
    {
        if (Previous(schedule, now) is { } due && (state?.LastCompletedSlot is not { } completed || due > completed))
        {
            return now;
        }

        return Next(schedule, now);
    }
}
