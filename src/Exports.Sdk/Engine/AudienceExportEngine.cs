using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Exports.Sdk;

/// <summary>
/// The audience export engine: for each audience, source → row selection → <see cref="PartitionedFileWriter"/>; then
/// the manifest. A failing audience is rolled back and reported; a cancelled run is rolled back entirely. It neither
/// claims nor records runs: <see cref="ExportRunner"/> does, and is the only caller.
/// </summary>
internal sealed class AudienceExportEngine(
    IDestinationCatalog catalog,
    IEnumerable<IExportFormat> formats,
    IServiceProvider services,
    TimeProvider timeProvider,
    ILogger<AudienceExportEngine>? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger<AudienceExportEngine>.Instance;

    public async Task<ExportRunResult> RunAsync(DataflowDefinition dataflow, ExportRunRequest request, IProgress<ExportProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataflow);
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();

        var startedAt = timeProvider.GetUtcNow();
        var runId = request.RunId ?? RunIds.New(timeProvider);
        var scheduledTime = request.ScheduledTime ?? startedAt;
        var plan = Prepare(dataflow, request);
        var names = await GetAudienceNamesAsync(plan.Source, plan.Activations, cancellationToken).ConfigureAwait(false);

        using var activity = ExportsTelemetry.ActivitySource.StartActivity("exports.run");
        activity?.SetTag("dataflow", dataflow.Id);
        activity?.SetTag("destination", plan.Definition.Name);
        activity?.SetTag("destination.type", plan.Definition.Type);
        activity?.SetTag("run.id", runId);
        ExportsLog.RunStarted(_logger, runId, dataflow.Id, plan.Activations.Count, plan.Definition.Name);
        var run = new RunContext(dataflow, plan, runId, scheduledTime, progress) { Since = request.ChangedSince };
        var results = new List<AudienceRunResult>();
        var writers = new List<PartitionedFileWriter>();
        try
        {
            foreach (var activation in plan.Activations)
            {
                results.Add(await ExportAudienceAsync(run, activation, names.GetValueOrDefault(activation.AudienceId), writers, cancellationToken).ConfigureAwait(false));
            }
        }
        catch (OperationCanceledException)
        {
            // A cancelled run leaves nothing: finished audiences are removed too, since no manifest will vouch for them.
            foreach (var writer in writers)
            {
                await RollbackAsync(run, writer, "").ConfigureAwait(false);
            }

            ExportsLog.RunCancelled(_logger, runId, dataflow.Id);
            RecordRun(plan, dataflow, ExportRunStatus.Cancelled, timeProvider.GetUtcNow() - startedAt);
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, "cancelled");
            throw;
        }

        var errors = results.Where(r => r.Error is not null).Select(r => r.Error!).ToList();
        var succeeded = results.Count(r => r.Status == ExportRunStatus.Succeeded);
        var status = succeeded == results.Count ? ExportRunStatus.Succeeded
            : succeeded > 0 ? ExportRunStatus.PartiallySucceeded
            : ExportRunStatus.Failed;

        string? manifestPath = null;
        var files = results.SelectMany(r => r.Files).ToList();
        if (status != ExportRunStatus.Failed && plan.Definition.WriteManifest
            && (files.Count > 0 || plan.Definition.EmptyExport == EmptyExportBehavior.ManifestOnly))
        {
            var path = DestinationPath.Combine(plan.Definition.FolderPath, ManifestWriter.GetFileName(plan.Definition.EffectiveId, runId));
            try
            {
                var manifest = CreateManifest(run, files, timeProvider.GetUtcNow());
                await ManifestWriter.WriteAsync(plan.Destination, path, manifest, cancellationToken).ConfigureAwait(false);
                manifestPath = path;
                ExportsLog.ManifestWritten(_logger, runId, path, files.Count);
            }
            catch (OperationCanceledException)
            {
                // Cancelled before the manifest was published: like a run cancelled earlier, it leaves nothing.
                foreach (var writer in writers)
                {
                    await RollbackAsync(run, writer, "").ConfigureAwait(false);
                }

                ExportsLog.RunCancelled(_logger, runId, dataflow.Id);
                throw;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The data files are complete; without a manifest partners will not load them, and a retry replaces them.
                ExportsLog.ManifestFailed(_logger, ex, runId, path);
                errors.Add($"Dataflow '{dataflow.Id}': the manifest '{path}' could not be written to destination '{plan.Definition.Name}': {ex.Message}");
                status = ExportRunStatus.Failed;
            }
        }

        var endedAt = timeProvider.GetUtcNow();
        var rowsExported = results.Sum(r => r.RowsExported);
        var bytes = files.Sum(f => f.Size);
        RecordRun(plan, dataflow, status, endedAt - startedAt);
        activity?.SetTag("status", status.ToString());
        if (status != ExportRunStatus.Succeeded)
        {
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, string.Join(" ", errors));
        }

        ExportsLog.RunFinished(_logger, runId, dataflow.Id, status, rowsExported, files.Count, bytes, (long)(endedAt - startedAt).TotalMilliseconds);
        return new ExportRunResult
        {
            RunId = runId,
            DataflowId = dataflow.Id,
            DestinationName = plan.Definition.Name,
            Status = status,
            ScheduledTime = scheduledTime,
            StartedAt = startedAt,
            EndedAt = endedAt,
            Audiences = results,
            ManifestPath = manifestPath,
            Errors = errors,
        };
    }

    private RunPlan Prepare(DataflowDefinition dataflow, ExportRunRequest request)
    {
        var problems = new List<string>();
        var (definition, destination, format) = ExportTarget.Resolve(catalog, formats, dataflow.Destination);
        var source = services.GetKeyedService<IAudienceSource>(dataflow.Source)
            ?? throw new ExportValidationException($"Dataflow '{dataflow.Id}': Source '{dataflow.Source}' is not a registered audience source.");

        var requested = request.AudienceIds is { Count: > 0 } ids ? ids : [.. dataflow.Audiences.Select(a => a.AudienceId)];
        var activations = new List<(AudienceActivation, IFileNameTemplate)>();
        foreach (var id in requested.Distinct(StringComparer.Ordinal))
        {
            var activation = dataflow.Audiences.Find(a => a.AudienceId == id);
            if (activation is null)
            {
                problems.Add($"Audience '{id}' is not part of dataflow '{dataflow.Id}'.");
                continue;
            }

            var templateProblems = FileNameTemplate.Validate(activation.FileNameTemplate);
            if (templateProblems.Count > 0)
            {
                problems.AddRange(templateProblems.Select(p => $"Dataflow '{dataflow.Id}', audience '{id}', FileNameTemplate: {p}"));
                continue;
            }

            activations.Add((activation, FileNameTemplate.Parse(activation.FileNameTemplate)));
        }

        if (problems.Count > 0)
        {
            throw new ExportValidationException(problems);
        }

        return new RunPlan(definition, destination, format, source, [.. activations.Select(a => new PlannedAudience(a.Item1.AudienceId, a.Item2))]);
    }

    private static async Task<Dictionary<string, string>> GetAudienceNamesAsync(IAudienceSource source, IReadOnlyList<PlannedAudience> audiences, CancellationToken cancellationToken)
    {
        var wanted = audiences.Select(a => a.AudienceId).ToHashSet(StringComparer.Ordinal);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        await foreach (var audience in source.ListAudiencesAsync(cancellationToken).ConfigureAwait(false))
        {
            if (wanted.Contains(audience.Id))
            {
                names[audience.Id] = audience.Name;
            }
        }

        return names;
    }

    private async Task<AudienceRunResult> ExportAudienceAsync(RunContext run, PlannedAudience audience, string? audienceName, List<PartitionedFileWriter> writers, CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        var plan = run.Plan;
        var dataflow = run.Dataflow;
        var exportName = $"Dataflow '{dataflow.Id}', audience '{audience.AudienceId}'";
        using var activity = ExportsTelemetry.ActivitySource.StartActivity("exports.audience");
        activity?.SetTag("dataflow", dataflow.Id);
        activity?.SetTag("destination.type", plan.Definition.Type);
        activity?.SetTag("audience", audience.AudienceId);
        activity?.SetTag("run.id", run.RunId);
        long rowsRead = 0;
        PartitionedFileWriter? writer = null;
        RowFilter? filter = null;
        try
        {
            if (audienceName is null)
            {
                throw new ExportException($"{exportName}: the source '{dataflow.Source}' does not list this audience.");
            }

            var baseName = audience.Template.Render(new FileNameContext
            {
                DestinationName = plan.Definition.Name,
                DestinationId = plan.Definition.EffectiveId,
                SegmentId = audience.AudienceId,
                SegmentName = audienceName,
                OrganizationName = dataflow.OrganizationName,
                SandboxName = dataflow.SandboxName,
                Time = run.ScheduledTime,
            });

            var request = new AudienceReadRequest(audience.AudienceId, dataflow.Attributes)
            {
                IdentityNamespaces = dataflow.IdentityNamespaces,
                NewestFirst = dataflow.Deduplication is not null,
                ChangedSince = run.ChangedSince(audience.AudienceId),
            };

            int[] selection = [];
            OutputColumn[]? columns = null;
            await foreach (var batch in plan.Source.ReadMembersAsync(request, cancellationToken).ConfigureAwait(false))
            {
                columns ??= MapColumns(batch.Schema, exportName, dataflow);
                run.MappedColumns ??= columns;
                filter ??= new RowFilter(dataflow, batch.Schema, exportName);
                if (writer is null)
                {
                    writer = CreateWriter(run, audience, baseName, columns, exportName);
                    writers.Add(writer);
                }

                if (selection.Length < batch.Count)
                {
                    selection = new int[Math.Max(batch.Count, batch.Capacity)];
                }

                rowsRead += batch.Count;
                var selected = filter.Select(batch, selection);
                if (selected > 0)
                {
                    await writer.WriteAsync(batch, selection.AsMemory(0, selected), cancellationToken).ConfigureAwait(false);
                }

                run.Progress?.Report(new ExportProgress(run.RunId, audience.AudienceId, rowsRead, writer.RowsWritten, writer.BytesWritten, writer.CommittedFiles.Count, writer.CurrentPart));
            }

            if (writer is null)
            {
                // No batch at all: the header still needs column names; the source gave no types, so text it is.
                columns = DefaultColumns(dataflow);
                writer = CreateWriter(run, audience, baseName, columns, exportName);
                writers.Add(writer);
            }

            await writer.CompleteAsync(plan.Definition.EmptyExport == EmptyExportBehavior.HeaderOnlyFile, cancellationToken).ConfigureAwait(false);
            run.Progress?.Report(new ExportProgress(run.RunId, audience.AudienceId, rowsRead, writer.RowsWritten, writer.BytesWritten, writer.CommittedFiles.Count, writer.CurrentPart));
            RecordAudience(plan, dataflow, writer, filter);
            activity?.SetTag("rows", writer.RowsWritten);
            activity?.SetTag("bytes", writer.BytesWritten);
            return new AudienceRunResult
            {
                AudienceId = audience.AudienceId,
                Status = ExportRunStatus.Succeeded,
                RowsRead = rowsRead,
                RowsExported = writer.RowsWritten,
                RowsSkipped = filter?.Skipped ?? new Dictionary<string, long>(),
                DuplicatesDropped = filter?.Duplicates ?? 0,
                Files = [.. writer.CommittedFiles],
                Duration = timeProvider.GetElapsedTime(started),
            };
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            if (writer is not null)
            {
                await RollbackAsync(run, writer, audience.AudienceId).ConfigureAwait(false);
                writers.Remove(writer);
            }

            ExportsLog.AudienceFailed(_logger, ex, run.RunId, dataflow.Id, audience.AudienceId);
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, ex.Message);
            var message = ex.Message.StartsWith(exportName, StringComparison.Ordinal) ? ex.Message : $"{exportName}: {ex.Message}";
            return new AudienceRunResult
            {
                AudienceId = audience.AudienceId,
                Status = ExportRunStatus.Failed,
                RowsRead = rowsRead,
                Duration = timeProvider.GetElapsedTime(started),
                Error = message,
            };
        }
        catch (OperationCanceledException)
        {
            if (writer is not null)
            {
                await RollbackAsync(run, writer, audience.AudienceId).ConfigureAwait(false);
                writers.Remove(writer);
            }

            throw;
        }
    }

    private PartitionedFileWriter CreateWriter(RunContext run, PlannedAudience audience, string baseName, OutputColumn[] columns, string exportName)
    {
        var definition = run.Plan.Definition;
        return new ExportTarget(definition, run.Plan.Destination, run.Plan.Format).CreateWriter(
            columns, exportName, definition.FolderPath, baseName, audience.AudienceId, file =>
            {
                run.Columns ??= columns;
                ExportsLog.FileCommitted(_logger, run.RunId, file.Path, file.Rows, file.Size, audience.AudienceId, definition.Name);
            });
    }

    private async ValueTask RollbackAsync(RunContext run, PartitionedFileWriter writer, string audienceId)
    {
        foreach (var failure in await writer.RollbackAsync().ConfigureAwait(false))
        {
            ExportsLog.RollbackFailed(_logger, failure, run.RunId, audienceId, run.Plan.Definition.Name);
        }

        await writer.DisposeAsync().ConfigureAwait(false);
    }

    private static void RecordRun(RunPlan plan, DataflowDefinition dataflow, ExportRunStatus status, TimeSpan duration)
    {
        var tags = Tags(plan, dataflow);
        ExportsTelemetry.RunDuration.Record(duration.TotalSeconds, tags);
        tags.Add("status", status.ToString());
        ExportsTelemetry.Runs.Add(1, tags);
    }

    private static void RecordAudience(RunPlan plan, DataflowDefinition dataflow, PartitionedFileWriter writer, RowFilter? filter)
    {
        var tags = Tags(plan, dataflow);
        ExportsTelemetry.RowsExported.Add(writer.RowsWritten, tags);
        ExportsTelemetry.BytesWritten.Add(writer.CommittedFiles.Sum(f => f.Size), tags);
        ExportsTelemetry.FilesCommitted.Add(writer.CommittedFiles.Count, tags);
        if (filter is null)
        {
            return;
        }

        foreach (var (reason, count) in filter.Skipped)
        {
            var skipped = Tags(plan, dataflow);
            skipped.Add("reason", reason);
            ExportsTelemetry.RowsSkipped.Add(count, skipped);
        }

        if (filter.Duplicates > 0)
        {
            var duplicates = Tags(plan, dataflow);
            duplicates.Add("reason", "duplicate");
            ExportsTelemetry.RowsSkipped.Add(filter.Duplicates, duplicates);
        }
    }

    private static System.Diagnostics.TagList Tags(RunPlan plan, DataflowDefinition dataflow) => new()
    {
        { "dataflow", dataflow.Id },
        { "destination.type", plan.Definition.Type },
    };

    private static OutputColumn[] MapColumns(ExportSchema schema, string exportName, DataflowDefinition dataflow) =>
        OutputColumnMapper.Map(schema, dataflow.OutputColumnNames(), exportName, dataflow.Source);

    private static OutputColumn[] DefaultColumns(DataflowDefinition dataflow) =>
        [.. dataflow.OutputColumnNames().Select((name, i) => new OutputColumn(
            name, name == AudienceColumns.MembershipStatusTime ? ExportColumnType.Timestamp : ExportColumnType.String, i))];

    private static ExportManifest CreateManifest(RunContext run, List<ExportedFile> files, DateTimeOffset exportTime) =>
        new ExportTarget(run.Plan.Definition, run.Plan.Destination, run.Plan.Format).CreateManifest(
            run.RunId, run.ScheduledTime, run.Dataflow.Id, run.Columns ?? run.MappedColumns ?? DefaultColumns(run.Dataflow),
            files.Select(f => ExportTarget.ToManifestFile(f) with { AudienceId = f.SourceId }), exportTime);

    private sealed record PlannedAudience(string AudienceId, IFileNameTemplate Template);

    private sealed record RunPlan(DestinationDefinition Definition, IDestination Destination, IExportFormat Format, IAudienceSource Source, IReadOnlyList<PlannedAudience> Activations);

    private sealed class RunContext(DataflowDefinition dataflow, RunPlan plan, string runId, DateTimeOffset scheduledTime, IProgress<ExportProgress>? progress)
    {
        public DataflowDefinition Dataflow { get; } = dataflow;

        public RunPlan Plan { get; } = plan;

        public string RunId { get; } = runId;

        public DateTimeOffset ScheduledTime { get; } = scheduledTime;

        public IProgress<ExportProgress>? Progress { get; } = progress;

        public IReadOnlyDictionary<string, DateTimeOffset>? Since { get; init; }

        /// <summary>The columns of the first committed file, for the manifest.</summary>
        public OutputColumn[]? Columns { get; set; }

        /// <summary>The columns of the first batch read, with the source's types, for a manifest that lists no file.</summary>
        public OutputColumn[]? MappedColumns { get; set; }

        public DateTimeOffset? ChangedSince(string audienceId) =>
            Since is not null && Since.TryGetValue(audienceId, out var since) ? since : null;
    }
}
