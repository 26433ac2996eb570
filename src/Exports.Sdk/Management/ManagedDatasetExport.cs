namespace Exports.Sdk;

/// <summary>A dataset export as the management API shows it.</summary>
public sealed record ManagedDatasetExport
{
    /// <summary>The dataset export (a copy; change it and pass it to <see cref="IDatasetExportManager.UpdateAsync"/>).</summary>
    public required DatasetExportDefinition Definition { get; init; }

    /// <summary>The concurrency token to present when updating or deleting.</summary>
    public required string ETag { get; init; }

    /// <summary>When it was created (null for dataset exports declared in configuration).</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>When it was last changed (null for dataset exports declared in configuration).</summary>
    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>Whether it is declared in configuration or code, and so cannot be changed through the API.</summary>
    public bool IsReadOnly { get; init; }

    /// <summary>The destination's provider type, e.g. <c>local</c> or <c>sftp</c>.</summary>
    public required string DestinationType { get; init; }

    /// <summary>What the caller who asked may do with it (view, edit, run).</summary>
    public DataflowPermissions Permissions { get; init; } = DataflowPermissions.View;

    /// <summary>Its latest run, or null before the first.</summary>
    public ExportRunSummary? LastRun { get; init; }

    /// <summary>Where the next incremental run starts (the stored watermark); null before the first successful run or for full exports.</summary>
    public DatasetWatermark? Watermark { get; init; }
}
