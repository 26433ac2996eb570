using System.Globalization;
using Microsoft.Extensions.DependencyInjection;

namespace Exports.Sdk;

/// <summary>
/// Plans a run of a dataset export: one entry, the dataset, read with its columns (and the watermark column), keeping
/// the rows above the incremental starting point, into <c>&lt;folder&gt;/&lt;datasetId&gt;/exportTime=YYYYMMDDHHMM/</c>.
/// All or nothing: any failure, the manifest's included, removes every file of the run, so the watermark (unchanged)
/// and the destination agree.
/// </summary>
internal sealed class DatasetPlanner(IDestinationCatalog catalog, IEnumerable<IExportFormat> formats, IServiceProvider services, TimeProvider timeProvider)
{
    /// <exception cref="ExportValidationException">The export names an unknown source, destination or format, or is incomplete.</exception>
    /// <param name="export">The dataset export.</param>
    /// <param name="request">The run id, time and (for one-off runs) the starting point.</param>
    /// <param name="increment">For scheduled incremental runs: where to start and what the previous run exported; overrides <see cref="DatasetRunRequest.Since"/>.</param>
    /// <param name="cancellationToken">Cancels the planning.</param>
    public async Task<ExportPlan> PlanAsync(DatasetExportDefinition export, DatasetRunRequest request, DatasetIncrement? increment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(export);
        ArgumentNullException.ThrowIfNull(request);
        if (increment is not null)
        {
            request = request with { Since = increment.Start };
        }

        var (target, source) = await ResolveAsync(export, request, cancellationToken).ConfigureAwait(false);
        var runId = request.RunId ?? RunIds.New(timeProvider);
        var scheduledTime = request.ScheduledTime ?? timeProvider.GetUtcNow();
        var folder = DestinationPath.Combine(target.Definition.FolderPath, DatasetFolderTemplate.Parse(export.FolderTemplate).Render(new DatasetFolderContext
        {
            DatasetId = export.DatasetId,
            Time = scheduledTime,
            DestinationType = target.Definition.Type,
            DestinationName = target.Definition.Name,
            DestinationId = target.Definition.EffectiveId,
            SandboxName = export.SandboxName,
            OrganizationName = export.OrganizationName,
        }));
        var exportName = $"Dataset export '{export.Id}', dataset '{export.DatasetId}'";
        var readRequest = new DatasetReadRequest(export.DatasetId)
        {
            Columns = export.Columns.Count == 0 || export.WatermarkColumn is null || export.Columns.Contains(export.WatermarkColumn)
                ? export.Columns
                : [.. export.Columns, export.WatermarkColumn],
            WatermarkColumn = export.WatermarkColumn,
            // Sources filter strictly above Since; a window's start is inclusive (positions are whole numbers).
            Since = increment?.Start is { } start ? DatasetWatermark.FromValue(start.Type, start.Value - 1) : request.Since,
        };

        OutputColumn[] MapColumns(ExportSchema schema) => export.Columns.Count > 0
            ? OutputColumnMapper.Map(schema, export.Columns, exportName, export.Source)
            : OutputColumnMapper.All(schema);

        return new ExportPlan
        {
            RunId = runId,
            FlowId = export.Id,
            FlowKind = "dataset export",
            FlowName = $"Dataset export '{export.Id}'",
            ScheduledTime = scheduledTime,
            Target = target,
            ManifestFolder = folder,
            LatestFolder = DestinationPath.Combine(target.Definition.FolderPath, FileNameSanitizer.Sanitize(export.DatasetId)),
            DefaultColumns = [],
            AllOrNothing = true,
            ToManifestFile = f => ExportTarget.ToManifestFile(f) with { DatasetId = f.SourceId },
            Entries =
            [
                new ExportEntryPlan
                {
                    SourceId = export.DatasetId,
                    ExportName = exportName,
                    FolderPath = folder,
                    BaseName = FileNameSanitizer.Sanitize($"{export.DatasetId}-{runId}"),
                    Since = request.Since,
                    ReadAsync = ct => source.ReadRowsAsync(readRequest, ct),
                    MapColumns = MapColumns,
                    CreateSelector = schema => CreateSelector(schema, export, request.Since, exportName, increment),
                    // No batch at all: the listed schema still gives the empty file its columns.
                    ColumnsWhenEmptyAsync = async ct => await FindSchemaAsync(source, export.DatasetId, ct).ConfigureAwait(false) is { } listed ? MapColumns(listed) : null,
                },
            ],
        };
    }

    private async Task<(ExportTarget Target, IDatasetSource Source)> ResolveAsync(DatasetExportDefinition export, DatasetRunRequest request, CancellationToken cancellationToken)
    {
        var where = $"Dataset export '{export.Id}'";
        var problems = new List<string>();
        if (string.IsNullOrEmpty(export.Id))
        {
            problems.Add("A dataset export has no Id.");
        }

        problems.AddRange(DatasetExportValidator.Validate(export, name => services.GetKeyedService<IDatasetSource>(name) is not null));
        var source = string.IsNullOrEmpty(export.Source) ? null : services.GetKeyedService<IDatasetSource>(export.Source);
        var outputProblems = export.Output is { } output ? ExportOutputValidator.Validate(where, output, formats).ToList() : [];
        problems.AddRange(outputProblems);

        ExportTarget? target = null;
        if (!string.IsNullOrEmpty(export.Destination) && outputProblems.Count == 0)
        {
            try
            {
                target = await ExportTarget.ResolveAsync(catalog, formats, export.Destination, export.Output, cancellationToken).ConfigureAwait(false);
            }
            catch (ExportValidationException ex)
            {
                problems.AddRange(ex.Errors.Select(e => $"{where}: {e}"));
            }
        }

        if (request.Since is not null && string.IsNullOrEmpty(export.WatermarkColumn))
        {
            problems.Add($"{where}: the run asks for rows since {request.Since} but the export has no WatermarkColumn.");
        }

        return problems.Count > 0 ? throw new ExportValidationException(problems) : (target!, source!);
    }

    private static IRowSelector CreateSelector(ExportSchema schema, DatasetExportDefinition export, DatasetWatermark? since, string exportName, DatasetIncrement? increment)
    {
        if (export.WatermarkColumn is not { Length: > 0 } name)
        {
            return new AllRowsSelector();
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

        return new WatermarkFilter(ordinal, name, schema, since, increment?.Open(type));

        static bool IsInteger(ExportColumnType t) => t is ExportColumnType.Int32 or ExportColumnType.Int64;
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
}
