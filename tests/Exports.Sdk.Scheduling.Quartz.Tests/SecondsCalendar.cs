namespace Exports.Sdk.Scheduling.Quartz.Tests;

/// <summary>
/// Test-only occurrence rules: every <c>n</c> seconds (aligned to the Unix epoch), whatever the schedule's frequency.
/// No public frequency is shorter than 3 hours; this replaces the internal calendar so a cluster can run a minute of
/// occurrences in a minute, on real time (Quartz's check-ins and misfires need the real clock).
/// </summary>
internal sealed class SecondsCalendar(int seconds) : SlotCalendar
{
    private readonly long _step = TimeSpan.FromSeconds(seconds).Ticks;

    public override DateTimeOffset? Previous(ExportSchedule schedule, DateTimeOffset at) =>
        new DateTimeOffset(at.UtcTicks - (at.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) % _step, TimeSpan.Zero);

    public override DateTimeOffset? Next(ExportSchedule schedule, DateTimeOffset after) => Previous(schedule, after)!.Value.AddTicks(_step);

    public override IEnumerable<DateTimeOffset> Occurrences(ExportSchedule schedule, DateTimeOffset from, DateTimeOffset to)
    {
        for (var t = Next(schedule, from.AddTicks(-1))!.Value; t < to; t = t.AddTicks(_step))
        {
            yield return t;
        }
    }
}
