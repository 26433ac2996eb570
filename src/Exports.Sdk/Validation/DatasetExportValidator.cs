namespace Exports.Sdk;

/// <summary>
/// Checks a dataset export and returns every problem, each naming the export, the field and the value, so a caller can
/// fix them all at once.
/// </summary>
public static class DatasetExportValidator
{
    /// <summary>The longest dataset id, in UTF-8 bytes: with "-" + run id + extension it still fits a 255-byte file name.</summary>
    internal const int MaxDatasetIdBytes = 200;

    /// <summary>The frequencies allowed for a full dataset export (<see cref="ExportMode.DailyFullExport"/>).</summary>
    public static IReadOnlyList<ScheduleFrequency> FullExportFrequencies { get; } = DataflowValidator.FullExportFrequencies;

    /// <summary>The frequencies allowed for an incremental dataset export (<see cref="ExportMode.FirstFullThenIncremental"/>).</summary>
    public static IReadOnlyList<ScheduleFrequency> IncrementalFrequencies { get; } =
        [ScheduleFrequency.Daily, ScheduleFrequency.Every3Hours, ScheduleFrequency.Every6Hours, ScheduleFrequency.Every8Hours, ScheduleFrequency.Every9Hours, ScheduleFrequency.Every12Hours];

    /// <summary>Checks a dataset export.</summary>
    /// <param name="export">The dataset export.</param>
    /// <param name="sourceExists">Whether a dataset source name is registered; null to skip the check.</param>
    /// <param name="destinationExists">Whether a destination name exists; null to skip the check.</param>
    /// <returns>The problems; empty when valid.</returns>
    public static IReadOnlyList<string> Validate(DatasetExportDefinition export, Func<string, bool>? sourceExists = null, Func<string, bool>? destinationExists = null)
    {
        ArgumentNullException.ThrowIfNull(export);
        if (ExportIds.Problem("Dataset export", export.Id) is { } badId)
        {
            return [badId];
        }

        var problems = new List<string>();
        var where = $"Dataset export '{(string.IsNullOrEmpty(export.Id) ? export.Name : export.Id)}'";
        NullEntries.Add(problems, where, nameof(export.Columns), export.Columns);
        if (problems.Count > 0)
        {
            return problems;
        }

        if (string.IsNullOrWhiteSpace(export.DatasetId))
        {
            problems.Add($"{where}: DatasetId is required.");
        }
        else if (System.Text.Encoding.UTF8.GetByteCount(export.DatasetId) > MaxDatasetIdBytes)
        {
            // It names a folder and starts every file name (with the 32-character run id and the extension).
            problems.Add($"{where}: DatasetId is {System.Text.Encoding.UTF8.GetByteCount(export.DatasetId)} bytes long; at most {MaxDatasetIdBytes}, since it names the export's folder and starts each file name.");
        }

        if (string.IsNullOrEmpty(export.Source))
        {
            problems.Add($"{where}: Source is required.");
        }
        else if (sourceExists is not null && !sourceExists(export.Source))
        {
            problems.Add($"{where}: Source '{export.Source}' is not a registered dataset source.");
        }

        if (string.IsNullOrEmpty(export.Destination))
        {
            problems.Add($"{where}: Destination is required.");
        }
        else if (destinationExists is not null && !destinationExists(export.Destination))
        {
            problems.Add($"{where}: Destination '{export.Destination}' is not a configured destination.");
        }

        foreach (var (column, index) in export.Columns.Select((c, i) => (c, i)).Where(c => string.IsNullOrWhiteSpace(c.c)))
        {
            problems.Add($"{where}: Columns[{index}] is {(column is null ? "null" : "empty")}; name a column of the dataset.");
        }

        foreach (var duplicate in export.Columns.GroupBy(c => c, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            problems.Add($"{where}: Columns lists '{duplicate.Key}' more than once.");
        }

        foreach (var problem in DatasetFolderTemplate.Validate(export.FolderTemplate))
        {
            problems.Add($"{where}, FolderTemplate: {problem}");
        }

        if (!Enum.IsDefined(export.Mode))
        {
            problems.Add($"{where}: Mode '{export.Mode}' is not an export mode.");
            return problems;
        }

        if (export.Mode == ExportMode.FirstFullThenIncremental && string.IsNullOrWhiteSpace(export.WatermarkColumn))
        {
            problems.Add($"{where}: Mode '{export.Mode}' needs a WatermarkColumn (the column that grows as rows are added or changed, e.g. updated_at).");
        }

        if (export.WatermarkOverlap < 0)
        {
            problems.Add($"{where}: WatermarkOverlap {export.WatermarkOverlap} must be zero or more (values, or days for a date column, re-read before the newest exported).");
        }

        if (export.Schedule is { } schedule)
        {
            ScheduleRules.Validate(schedule, export.Mode, export.Mode == ExportMode.DailyFullExport ? FullExportFrequencies : IncrementalFrequencies, where, problems);
            if (schedule.Trigger != ScheduleTrigger.Scheduled && Enum.IsDefined(schedule.Trigger))
            {
                problems.Add($"{where}: Schedule.Trigger '{schedule.Trigger}' applies to audiences only; a dataset export runs at its scheduled times (Scheduled).");
            }
        }

        return problems;
    }
}
