namespace Exports.Sdk;

/// <summary>How often a scheduled export runs.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<ScheduleFrequency>))]
public enum ScheduleFrequency
{
    /// <summary>Once, at the start date and time (full exports only).</summary>
    Once,

    /// <summary>Every day at the start time.</summary>
    Daily,

    /// <summary>Every 7 days from the start date (full exports only).</summary>
    Weekly,

    /// <summary>Every month on the start date's day, or the month's last day when shorter (full exports only).</summary>
    Monthly,

    /// <summary>Every 3 hours from the start time (incremental exports only).</summary>
    Every3Hours,

    /// <summary>Every 6 hours from the start time (incremental exports only).</summary>
    Every6Hours,

    /// <summary>Every 8 hours from the start time (incremental exports only).</summary>
    Every8Hours,

    /// <summary>Every 9 hours from the start time (incremental dataset exports only).</summary>
    Every9Hours,

    /// <summary>Every 12 hours from the start time (incremental exports only).</summary>
    Every12Hours,
}
