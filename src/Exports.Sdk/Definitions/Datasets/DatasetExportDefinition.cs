namespace Exports.Sdk;

/// <summary>
/// A dataset export: one dataset of a registered <see cref="IDatasetSource"/> written to a destination as is, without
/// audience semantics, into <c>&lt;folderPath&gt;/&lt;datasetId&gt;/exportTime=YYYYMMDDHHMM/&lt;datasetId&gt;-&lt;runId&gt;.&lt;ext&gt;</c>.
/// Full every run, or incremental by a watermark column.
/// </summary>
public sealed class DatasetExportDefinition
{
    /// <summary>The export id (the manifest's <c>dataflowId</c>).</summary>
    public string Id { get; set; } = "";

    /// <summary>The display name. Default: <see cref="Id"/>.</summary>
    public string? Name { get; set; }

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

    /// <summary>The display name, or the id when there is none.</summary>
    public string DisplayName => string.IsNullOrEmpty(Name) ? Id : Name;

    /// <inheritdoc />
    public override string ToString() => $"Dataset export '{Id}'";
}
