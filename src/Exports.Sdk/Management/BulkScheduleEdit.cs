namespace Exports.Sdk;

/// <summary>
/// A schedule edit over several dataflows: either keep each audience's own schedule and only switch the dataflows on or
/// off (<see cref="ReplaceSchedule"/> null), or replace every activated audience's schedule with one new schedule.
/// </summary>
public sealed record BulkScheduleEdit
{
    /// <summary>The dataflows to edit, with the ETag each was read with.</summary>
    public required IReadOnlyDictionary<string, string> DataflowETags { get; init; }

    /// <summary>Switch the schedules on (true) or off (false); null to leave as is.</summary>
    public bool? Enable { get; init; }

    /// <summary>When set, every activated audience of every listed dataflow gets this schedule.</summary>
    public ExportSchedule? ReplaceSchedule { get; init; }
}
