namespace Exports.Sdk;

/// <summary>
/// One entry of a planned run, an audience or a dataset: where its rows come from, which to keep, how its columns are
/// named and where its files go. Built by a planner; the pipeline does the rest.
/// </summary>
internal sealed class ExportEntryPlan
{
    /// <summary>The audience or dataset id (manifest entries, progress, files).</summary>
    public required string SourceId { get; init; }

    /// <summary>How messages name the entry: <c>Dataflow 'x', audience 'y'</c>.</summary>
    public required string ExportName { get; init; }

    /// <summary>The folder of its files, relative to the destination's root.</summary>
    public required string? FolderPath { get; init; }

    /// <summary>The file name before the part number and extension.</summary>
    public required string BaseName { get; init; }

    /// <summary>
    /// Set when the file name has no date or time part: the parts are staged under names with this run-scoped tag and
    /// published over the fixed names once the run's files and manifest are committed.
    /// </summary>
    public string? StagingTag { get; init; }

    /// <summary>A problem found while planning (e.g. the source does not list the audience): the entry fails unread.</summary>
    public string? Problem { get; init; }

    /// <summary>Streams the entry's rows.</summary>
    public required Func<CancellationToken, IAsyncEnumerable<RowBatch>> ReadAsync { get; init; }

    /// <summary>The output columns for the source's schema.</summary>
    public required Func<ExportSchema, OutputColumn[]> MapColumns { get; init; }

    /// <summary>The row selection for the source's schema.</summary>
    public required Func<ExportSchema, IRowSelector> CreateSelector { get; init; }

    /// <summary>The columns of the empty file when the source returned no batch; null writes no file.</summary>
    public required Func<CancellationToken, ValueTask<OutputColumn[]?>> ColumnsWhenEmptyAsync { get; init; }

    /// <summary>The watermark the entry started from, kept when it fails.</summary>
    public DatasetWatermark? Since { get; init; }
}
