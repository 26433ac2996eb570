namespace Exports.Sdk;

/// <summary>
/// A dataset export: one dataset of a registered <see cref="IDatasetSource"/> written to a destination as is, without
/// audience semantics, into <c>&lt;folderPath&gt;/&lt;folder template&gt;/&lt;datasetId&gt;-&lt;runId&gt;.&lt;ext&gt;</c>
/// (by default <c>&lt;datasetId&gt;/exportTime=YYYYMMDDHHMM</c>). Full every run, or incremental by a watermark column,
/// on a schedule or on demand. Declare it in configuration (<c>Exports:DatasetExports:&lt;id&gt;</c>) or manage it at run
/// time through <see cref="IDatasetExportManager"/>.
/// </summary>
public sealed class DatasetExportDefinition
{
    /// <summary>The export id (the manifest's <c>dataflowId</c>).</summary>
    public string Id { get; set; } = "";

    /// <summary>The display name. Default: <see cref="Id"/>.</summary>
    public string? Name { get; set; }

    /// <summary>An optional description.</summary>
    public string? Description { get; set; }

    /// <summary>The name of the registered <see cref="IDatasetSource"/>.</summary>
    public string Source { get; set; } = "";

    /// <summary>The name of the destination (its format, compression, splitting and manifest settings apply).</summary>
    public string Destination { get; set; } = "";

    /// <summary>This dataset export's own output (format, parts, manifest), instead of the destination's <see cref="DestinationDefinition.Output"/>. Default: the destination's.</summary>
    public ExportOutputOptions? Output { get; set; }

    /// <summary>The dataset id in the source.</summary>
    public string DatasetId { get; set; } = "";

    /// <summary>The columns to export, in order; empty (the default) for every column the source returns.</summary>
    public List<string> Columns { get; set; } = [];

    /// <summary>
    /// The column that makes the export incremental (Int32, Int64, Date or Timestamp, growing as rows are added or changed).
    /// Null (the default): every run exports every row.
    /// </summary>
    public string? WatermarkColumn { get; set; }

    /// <summary>
    /// For an Int32, Int64 or Date watermark column: how far before the newest value exported each
    /// incremental run starts again, in the column's units (values; days for a date). Rows already exported there are
    /// recognised and dropped, so a row that got its value before an earlier one committed (two inserts into an
    /// identity column, the later committing first) is still exported, once. Default 0: only the newest value is read
    /// again. Timestamp columns re-read <c>Exports:Runs:IncrementalOverlap</c> instead.
    /// </summary>
    public long WatermarkOverlap { get; set; }

    /// <summary>
    /// Full (<see cref="ExportMode.DailyFullExport"/>, the default: every run writes every row) or incremental
    /// (<see cref="ExportMode.FirstFullThenIncremental"/>: the first run writes every row, later ones the rows added or
    /// changed since, by <see cref="WatermarkColumn"/>; the SDK keeps the watermark).
    /// </summary>
    public ExportMode Mode { get; set; } = ExportMode.DailyFullExport;

    /// <summary>
    /// When it runs; null (the default) for on demand only. Full exports: Once, Daily, Weekly or Monthly; incremental:
    /// Daily, Every3Hours, Every6Hours, Every8Hours, Every9Hours or Every12Hours.
    /// </summary>
    public ExportSchedule? Schedule { get; set; }

    /// <summary>Whether the schedule is on. Default true. Off: only explicit runs export.</summary>
    public bool ScheduleEnabled { get; set; } = true;

    /// <summary>
    /// The folder of each run under the destination's folder, from the placeholders <c>%DATASET_ID%</c>,
    /// <c>%EXPORT_TIME%</c> (<c>exportTime=YYYYMMDDHHMM</c>), <c>%DATETIME(pattern)%</c>, <c>%DESTINATION%</c> (the
    /// destination's type), <c>%DESTINATION_INSTANCE_NAME%</c>, <c>%DESTINATION_INSTANCE_ID%</c>, <c>%SANDBOX_NAME%</c>,
    /// <c>%ORGANIZATION_NAME%</c>, text and <c>/</c>. Default <see cref="DatasetFolderTemplate.Default"/>.
    /// </summary>
    public string? FolderTemplate { get; set; }

    /// <summary>The organization name for <c>%ORGANIZATION_NAME%</c>.</summary>
    public string? OrganizationName { get; set; }

    /// <summary>The sandbox name for <c>%SANDBOX_NAME%</c>.</summary>
    public string? SandboxName { get; set; }

    /// <summary>Returns a deep copy.</summary>
    /// <returns>The copy.</returns>
    public DatasetExportDefinition Clone()
    {
        var copy = (DatasetExportDefinition)MemberwiseClone();
        copy.Columns = [.. Columns];
        copy.Schedule = Schedule?.Clone();
        copy.Output = Output?.Clone();
        return copy;
    }

    /// <summary>The display name, or the id when there is none.</summary>
    public string DisplayName => string.IsNullOrEmpty(Name) ? Id : Name;

    /// <inheritdoc />
    public override string ToString() => $"Dataset export '{Id}'";
}
