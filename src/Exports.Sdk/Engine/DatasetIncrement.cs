namespace Exports.Sdk;

/// <summary>
/// A scheduled incremental dataset run's window, opened once the watermark column's type is known (the first run
/// reads everything and learns it then): a timestamp column re-reads <c>IncrementalOverlap</c> before the newest value
/// exported (late commits), dates and integers the export's <c>WatermarkOverlap</c> (values or days; 0: the newest value
/// itself); what the previous run exported there is dropped.
/// </summary>
internal sealed class DatasetIncrement(DatasetWatermark? start, string? recentChanges, TimeSpan overlap, long valueOverlap, DateTimeOffset notAfter)
{
    private ExportColumnType _type;

    /// <summary>Where this run starts (inclusive); null for the full backfill.</summary>
    public DatasetWatermark? Start => start;

    public IncrementalWindow? Window { get; private set; }

    /// <summary>Opens (again, when the entry is retried) the window for the column's type.</summary>
    public IncrementalWindow Open(ExportColumnType type)
    {
        _type = type;
        var limit = type switch
        {
            ExportColumnType.Timestamp => notAfter.UtcTicks,
            ExportColumnType.Date => DateOnly.FromDateTime(notAfter.UtcDateTime).DayNumber,
            _ => long.MaxValue,
        };
        Window = new IncrementalWindow(start?.Value, type == ExportColumnType.Timestamp ? overlap.Ticks : valueOverlap, recentChanges, limit);
        return Window;
    }

    /// <summary>Where the next run starts and what it must not export again; unchanged when nothing was read.</summary>
    public (DatasetWatermark? Start, string? RecentChanges) Next()
    {
        if (Window is null)
        {
            return (start, recentChanges);
        }

        // An overlap never takes the start below the column type's smallest value.
        var lowest = _type switch
        {
            ExportColumnType.Timestamp => DateTimeOffset.MinValue.UtcTicks,
            ExportColumnType.Date => DateOnly.MinValue.DayNumber,
            ExportColumnType.Int32 => int.MinValue,
            _ => long.MinValue,
        };
        var (next, recent) = Window.NextValue(lowest);
        return (next is { } value ? DatasetWatermark.FromValue(_type, value) : null, recent);
    }
}
