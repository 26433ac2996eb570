using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Exports.Sdk;

/// <summary>
/// The dataset export engine: source → watermark filter → <see cref="PartitionedFileWriter"/> → manifest, into
/// <c>&lt;folder&gt;/&lt;datasetId&gt;/exportTime=YYYYMMDDHHMM/</c>. Any failure, the manifest's included, removes every file
/// of the run, so the returned watermark (unchanged) and the destination agree.
/// </summary>
internal sealed class DatasetExportRunner(
    IDestinationCatalog catalog,
    IEnumerable<IExportFormat> formats,
    IServiceProvider services,
    TimeProvider timeProvider,
    ILogger<DatasetExportRunner>? logger = null) : IDatasetExportRunner
{
    /// <summary>The pattern of the <c>exportTime=</c> folder (UTC).</summary>
    internal const string ExportTimeFormat = "yyyyMMddHHmm";

    private readonly ILogger _logger = logger ?? NullLogger<DatasetExportRunner>.Instance;

    public async Task<DatasetRunResult> RunAsync(DatasetExportDefinition definition, DatasetRunRequest request, IProgress<ExportProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var export = definition;
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();

        var (target, source) = Prepare(export, request);
        var startedAt = timeProvider.GetUtcNow();
        var runId = request.RunId ?? RunIds.New(timeProvider);
        var scheduledTime = request.ScheduledTime ?? startedAt;
        var folder = GetFolderPath(target.Definition.FolderPath, export.DatasetId, scheduledTime);
        var baseName = FileNameSanitizer.Sanitize($"{export.DatasetId}-{runId}");
        var exportName = $"Dataset export '{export.Id}', dataset '{export.DatasetId}'";
        var since = request.Since?.ToString() ?? "(full)";
        DatasetExportsLog.RunStarted(_logger, runId, export.Id, export.DatasetId, target.Definition.Name, since);

        var readRequest = new DatasetReadRequest(export.DatasetId)
        {
            Columns = export.Columns.Count == 0 || export.WatermarkColumn is null || export.Columns.Contains(export.WatermarkColumn)
                ? export.Columns
                : [.. export.Columns, export.WatermarkColumn],
            WatermarkColumn = export.WatermarkColumn,
            Since = request.Since,
        };

        PartitionedFileWriter? writer = null;
        WatermarkFilter? filter = null;
        ExportColumnType watermarkType = default;
        OutputColumn[]? columns = null;
        long rowsRead = 0;
        DatasetRunResult Result(ExportRunStatus status, DateTimeOffset endedAt) => new()
        {
            RunId = runId,
            ExportId = export.Id,
            DatasetId = export.DatasetId,
            DestinationName = target.Definition.Name,
            Status = status,
            ScheduledTime = scheduledTime,
            StartedAt = startedAt,
            EndedAt = endedAt,
            FolderPath = folder,
            RowsRead = rowsRead,
        };

        try
        {
            int[] selection = [];
            await foreach (var batch in source.ReadRowsAsync(readRequest, cancellationToken).ConfigureAwait(false))
            {
                if (writer is null)
                {
                    columns = export.Columns.Count > 0
                        ? OutputColumnMapper.Map(batch.Schema, export.Columns, exportName, export.Source)
                        : OutputColumnMapper.All(batch.Schema);
                    (filter, watermarkType) = CreateFilter(batch.Schema, export, request.Since, exportName);
                    writer = CreateWriter(target, columns, exportName, folder, baseName, export.DatasetId, runId);
                }

                if (selection.Length < batch.Count)
                {
                    selection = new int[Math.Max(batch.Count, batch.Capacity)];
                }

                rowsRead += batch.Count;
                var count = filter?.Select(batch, selection) ?? SelectAll(selection, batch.Count);
                if (count > 0)
                {
                    await writer.WriteAsync(batch, selection.AsMemory(0, count), cancellationToken).ConfigureAwait(false);
                }

                progress?.Report(new ExportProgress(runId, export.DatasetId, rowsRead, writer.RowsWritten, writer.BytesWritten, writer.CommittedFiles.Count, writer.CurrentPart));
            }

            if (writer is null && await FindSchemaAsync(source, export.DatasetId, cancellationToken).ConfigureAwait(false) is { } listed)
            {
                // No batch at all: the listed schema still gives the empty file its columns.
                columns = export.Columns.Count > 0 ? OutputColumnMapper.Map(listed, export.Columns, exportName, export.Source) : OutputColumnMapper.All(listed);
                writer = CreateWriter(target, columns, exportName, folder, baseName, export.DatasetId, runId);
            }

            if (writer is not null)
            {
                await writer.CompleteAsync(target.Definition.EmptyExport == EmptyExportBehavior.HeaderOnlyFile, cancellationToken).ConfigureAwait(false);
            }

            var files = writer?.CommittedFiles ?? [];
            string? manifestPath = null;
            if (target.Definition.WriteManifest && (files.Count > 0 || target.Definition.EmptyExport == EmptyExportBehavior.ManifestOnly))
            {
                manifestPath = DestinationPath.Combine(folder, ManifestWriter.GetFileName(target.Definition.EffectiveId, runId));
                var manifest = target.CreateManifest(runId, scheduledTime, export.Id, columns ?? [],
                    files.Select(f => ExportTarget.ToManifestFile(f) with { DatasetId = f.SourceId }), timeProvider.GetUtcNow());
                await ManifestWriter.WriteAsync(target.Destination, manifestPath, manifest, cancellationToken).ConfigureAwait(false);
            }

            var watermark = filter?.Max is { } max ? DatasetWatermark.FromValue(watermarkType, max) : request.Since;
            var result = Result(ExportRunStatus.Succeeded, timeProvider.GetUtcNow()) with
            {
                RowsExported = writer?.RowsWritten ?? 0,
                RowsSkipped = Skipped(filter, export.WatermarkColumn),
                Files = [.. files],
                ManifestPath = manifestPath,
                Watermark = watermark,
            };
            var bytes = result.Bytes;
            var watermarkText = watermark?.ToString() ?? "(none)";
            var durationMs = (long)result.Duration.TotalMilliseconds;
            DatasetExportsLog.RunFinished(_logger, runId, export.Id, result.RowsExported, result.Files.Count, bytes, durationMs, watermarkText);
            return result;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await RollbackAsync(writer, runId, export.DatasetId, target.Definition.Name).ConfigureAwait(false);
            DatasetExportsLog.RunFailed(_logger, ex, runId, export.Id, export.DatasetId, since);
            return Result(ExportRunStatus.Failed, timeProvider.GetUtcNow()) with
            {
                Watermark = request.Since,
                Error = ex.Message.StartsWith(exportName, StringComparison.Ordinal) ? ex.Message : $"{exportName}: {ex.Message}",
            };
        }
        catch (OperationCanceledException)
        {
            await RollbackAsync(writer, runId, export.DatasetId, target.Definition.Name).ConfigureAwait(false);
            DatasetExportsLog.RunCancelled(_logger, runId, export.Id);
            throw;
        }
    }

    /// <summary>The folder of a run: <c>&lt;folder&gt;/&lt;datasetId&gt;/exportTime=YYYYMMDDHHMM</c> (UTC).</summary>
    internal static string GetFolderPath(string? destinationFolder, string datasetId, DateTimeOffset scheduledTime) =>
        DestinationPath.Combine(destinationFolder, FileNameSanitizer.Sanitize(datasetId) + "/exportTime="
            + scheduledTime.UtcDateTime.ToString(ExportTimeFormat, CultureInfo.InvariantCulture));

    private (ExportTarget Target, IDatasetSource Source) Prepare(DatasetExportDefinition export, DatasetRunRequest request)
    {
        var where = $"Dataset export '{export.Id}'";
        var problems = new List<string>();
        if (string.IsNullOrEmpty(export.Id))
        {
            problems.Add("A dataset export has no Id.");
        }

        if (string.IsNullOrEmpty(export.DatasetId))
        {
            problems.Add($"{where}: DatasetId is required.");
        }

        IDatasetSource? source = null;
        if (string.IsNullOrEmpty(export.Source))
        {
            problems.Add($"{where}: Source is required.");
        }
        else if ((source = services.GetKeyedService<IDatasetSource>(export.Source)) is null)
        {
            problems.Add($"{where}: Source '{export.Source}' is not a registered dataset source.");
        }

        ExportTarget? target = null;
        if (string.IsNullOrEmpty(export.Destination))
        {
            problems.Add($"{where}: Destination is required.");
        }
        else
        {
            try
            {
                target = ExportTarget.Resolve(catalog, formats, export.Destination);
            }
            catch (ExportValidationException ex)
            {
                problems.AddRange(ex.Errors.Select(e => $"{where}: {e}"));
            }
        }

        foreach (var duplicate in export.Columns.GroupBy(c => c, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            problems.Add($"{where}: Columns lists '{duplicate.Key}' more than once.");
        }

        if (request.Since is not null && string.IsNullOrEmpty(export.WatermarkColumn))
        {
            problems.Add($"{where}: the run asks for rows since {request.Since} but the export has no WatermarkColumn.");
        }

        if (problems.Count > 0)
        {
            throw new ExportValidationException(problems);
        }

        return (target!, source!);
    }

    private static (WatermarkFilter? Filter, ExportColumnType Type) CreateFilter(ExportSchema schema, DatasetExportDefinition export, DatasetWatermark? since, string exportName)
    {
        if (export.WatermarkColumn is not { Length: > 0 } name)
        {
            return (null, default);
        }

        var ordinal = schema.IndexOf(name);
        if (ordinal < 0)
        {
            throw new ExportException(
                $"{exportName}: the source '{export.Source}' returned no watermark column '{name}'; it returned {string.Join(", ", schema.Select(c => $"'{c.Name}'"))}.");
        }

        var type = schema[ordinal].Type;
        if (!DatasetWatermark.IsSupported(type))
        {
            throw new ExportException($"{exportName}: the watermark column '{name}' is {type}; a watermark column must be Int32, Int64, Date or Timestamp.");
        }

        if (since is { } s && s.Type != type && !(IsInteger(s.Type) && IsInteger(type)))
        {
            throw new ExportException($"{exportName}: the watermark column '{name}' is {type}, but the watermark passed in ({s}) is {s.Type}.");
        }

        return (new WatermarkFilter(ordinal, since), type);

        static bool IsInteger(ExportColumnType t) => t is ExportColumnType.Int32 or ExportColumnType.Int64;
    }

    private PartitionedFileWriter CreateWriter(ExportTarget target, OutputColumn[] columns, string exportName, string folder, string baseName, string datasetId, string runId) =>
        target.CreateWriter(columns, exportName, folder, baseName, datasetId,
            file => DatasetExportsLog.FileCommitted(_logger, runId, file.Path, file.Rows, file.Size, datasetId, target.Definition.Name));

    private static int SelectAll(int[] selection, int count)
    {
        for (var i = 0; i < count; i++)
        {
            selection[i] = i;
        }

        return count;
    }

    private static Dictionary<string, long> Skipped(WatermarkFilter? filter, string? column)
    {
        var skipped = new Dictionary<string, long>(StringComparer.Ordinal);
        if (filter is { NotNewer: > 0 })
        {
            skipped[$"watermark column '{column}' not after the previous watermark"] = filter.NotNewer;
        }

        if (filter is { NullWatermark: > 0 })
        {
            skipped[$"watermark column '{column}' is null"] = filter.NullWatermark;
        }

        return skipped;
    }

    private static async Task<ExportSchema?> FindSchemaAsync(IDatasetSource source, string datasetId, CancellationToken cancellationToken)
    {
        await foreach (var dataset in source.ListDatasetsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (string.Equals(dataset.Id, datasetId, StringComparison.Ordinal))
            {
                return dataset.Schema;
            }
        }

        return null;
    }

    private async ValueTask RollbackAsync(PartitionedFileWriter? writer, string runId, string datasetId, string destination)
    {
        if (writer is null)
        {
            return;
        }

        foreach (var failure in await writer.RollbackAsync().ConfigureAwait(false))
        {
            DatasetExportsLog.RollbackFailed(_logger, failure, runId, datasetId, destination);
        }

        await writer.DisposeAsync().ConfigureAwait(false);
    }
}
