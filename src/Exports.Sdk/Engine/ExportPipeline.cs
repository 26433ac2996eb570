using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Exports.Sdk;

/// <summary>
/// The one export pipeline, for audiences and datasets alike: for each entry, source → row selection →
/// <see cref="PartitionedFileWriter"/>; then the manifest; and the rollback when something fails. A cancelled run is
/// rolled back entirely; a failed entry is rolled back alone, or with every other when the plan is all-or-nothing.
/// </summary>
internal sealed class ExportPipeline(TimeProvider timeProvider, ILogger<ExportPipeline>? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger<ExportPipeline>.Instance;

    public async Task<ExportRunResult> RunAsync(ExportPlan plan, IProgress<ExportProgress>? progress, CancellationToken cancellationToken)
    {
        var startedAt = timeProvider.GetUtcNow();
        var destination = plan.Target.Definition;
        using var activity = ExportsTelemetry.ActivitySource.StartActivity("exports.run");
        activity?.SetTag("dataflow", plan.FlowId);
        activity?.SetTag("destination", destination.Name);
        activity?.SetTag("destination.type", destination.Type);
        activity?.SetTag("run.id", plan.RunId);
        ExportsLog.RunStarted(_logger, plan.RunId, plan.FlowKind, plan.FlowId, plan.Entries.Count, destination.Name);

        var run = new RunState(plan, progress);
        var entries = new List<ExportEntryResult>();
        try
        {
            foreach (var entry in plan.Entries)
            {
                var entryResult = await ExportEntryAsync(run, entry, cancellationToken).ConfigureAwait(false);
                entries.Add(entryResult);
                if (entryResult.Error is not null && plan.AllOrNothing)
                {
                    break;
                }
            }

            // Cancelled while the last entry failed (its claim lost as it recorded a part): a cancelled run, as any other.
            cancellationToken.ThrowIfCancellationRequested();
        }
        catch (OperationCanceledException)
        {
            // A cancelled run leaves nothing: finished entries are removed too, since no manifest will vouch for them.
            await RollbackAllAsync(run).ConfigureAwait(false);
            ExportsLog.RunCancelled(_logger, plan.RunId, plan.FlowKind, plan.FlowId);
            RecordRun(plan, ExportRunStatus.Cancelled, timeProvider.GetUtcNow() - startedAt);
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, "cancelled");
            throw;
        }

        var errors = entries.Where(r => r.Error is not null).Select(r => r.Error!).ToList();
        var succeeded = entries.Count(r => r.Status == ExportRunStatus.Succeeded);
        var status = succeeded == plan.Entries.Count ? ExportRunStatus.Succeeded
            : succeeded > 0 && !plan.AllOrNothing ? ExportRunStatus.PartiallySucceeded
            : ExportRunStatus.Failed;
        if (status == ExportRunStatus.Failed && plan.AllOrNothing)
        {
            entries = await FailAllAsync(run, entries, errors[0]).ConfigureAwait(false);
        }

        string? manifestPath = null;
        ExportManifest? manifest = null;
        var files = entries.SelectMany(r => r.Files).ToList();
        if (status != ExportRunStatus.Failed && plan.Target.Output.WriteManifest
            && (files.Count > 0 || plan.Target.Output.EmptyExport == EmptyExportBehavior.ManifestOnly))
        {
            var path = DestinationPath.Combine(plan.ManifestFolder, ManifestWriter.GetFileName(destination.EffectiveId, plan.RunId));
            try
            {
                manifest = plan.Target.CreateManifest(plan.RunId, plan.ScheduledTime, plan.FlowId, run.ManifestColumns,
                    files.Select(plan.ToManifestFile), timeProvider.GetUtcNow());
                if (run.Progress is IRunJournal journal)
                {
                    await journal.BeforeManifestAsync(destination.Name, path).ConfigureAwait(false);
                }

                await ManifestWriter.WriteAsync(plan.Target.Destination, path, manifest, cancellationToken).ConfigureAwait(false);
                manifestPath = path;
                ExportsLog.ManifestWritten(_logger, plan.RunId, path, files.Count);
            }
            catch (OperationCanceledException)
            {
                // Cancelled while the manifest was written (the server may have stored it just before): like a run
                // cancelled earlier, it leaves nothing, the manifest first.
                await RemoveManifestAsync(run, path).ConfigureAwait(false);
                await RollbackAllAsync(run).ConfigureAwait(false);
                ExportsLog.RunCancelled(_logger, plan.RunId, plan.FlowKind, plan.FlowId);
                throw;
            }
            catch (Exception ex)
            {
                // A write that failed late (a lost response) may still have stored it.
                await RemoveManifestAsync(run, path).ConfigureAwait(false);
                ExportsLog.ManifestFailed(_logger, ex, plan.RunId, path);
                var error = $"{plan.FlowName}: the manifest '{path}' could not be written to destination '{destination.Name}': {ex.Message}";
                errors.Add(error);
                status = ExportRunStatus.Failed;
                if (plan.AllOrNothing)
                {
                    entries = await FailAllAsync(run, entries, error).ConfigureAwait(false);
                }

                // Otherwise the data files stay: without a manifest partners will not load them, and a retry replaces them.
            }
        }

        if (status != ExportRunStatus.Failed)
        {
            status = await PublishAsync(run, entries, errors, status).ConfigureAwait(false);
            if (status == ExportRunStatus.Failed && manifestPath is not null)
            {
                // Nothing it names was published under its fixed name.
                await RemoveManifestAsync(run, manifestPath).ConfigureAwait(false);
                manifestPath = null;
            }
            else if (manifest is not null && manifestPath is not null && Unpublished(manifest, entries) is { Count: > 0 } unpublished)
            {
                // Some entries could not be published: the manifest may name only what partners can read, and is not
                // kept for nothing at all unless empty exports ask for one.
                manifest = manifest with { ExportResults = [.. manifest.ExportResults.Where(f => !unpublished.Contains(f.AudienceId ?? f.DatasetId ?? ""))] };
                if (manifest.ExportResults.Count == 0 && plan.Target.Output.EmptyExport != EmptyExportBehavior.ManifestOnly)
                {
                    await RemoveManifestAsync(run, manifestPath).ConfigureAwait(false);
                    manifestPath = null;
                }
                else
                {
                    try
                    {
                        await ManifestWriter.WriteAsync(plan.Target.Destination, manifestPath, manifest, CancellationToken.None).ConfigureAwait(false);
                    }
                    catch (Exception ex)
                    {
                        await RemoveManifestAsync(run, manifestPath).ConfigureAwait(false);
                        ExportsLog.ManifestFailed(_logger, ex, plan.RunId, manifestPath);
                        errors.Add($"{plan.FlowName}: the manifest '{manifestPath}' could not be rewritten without the unpublished files at destination '{destination.Name}': {ex.Message}");
                        manifestPath = null;
                        status = ExportRunStatus.Failed;
                    }
                }
            }
        }

        if (status == ExportRunStatus.Succeeded && manifest is not null && plan.Target.Output.WriteLatest)
        {
            var delivered = entries.ToList();
            if (run.Progress is IRunJournal journal)
            {
                // Only a run whose outcome is in the store is delivered; until then no fixed-path copy may name its files.
                journal.AfterRecorded(superseded => WriteLatestAsync(plan, manifest, [.. delivered.Where(e => !superseded.Contains(e.SourceId))]));
            }
            else
            {
                await WriteLatestAsync(plan, manifest, delivered).ConfigureAwait(false);
            }
        }

        var endedAt = timeProvider.GetUtcNow();
        var result = new ExportRunResult
        {
            RunId = plan.RunId,
            DataflowId = plan.FlowId,
            DestinationName = destination.Name,
            Status = status,
            ScheduledTime = plan.ScheduledTime,
            StartedAt = startedAt,
            EndedAt = endedAt,
            Entries = entries,
            ManifestPath = manifestPath,
            Errors = errors,
        };
        RecordRun(plan, status, result.Duration);
        activity?.SetTag("status", status.ToString());
        if (status != ExportRunStatus.Succeeded)
        {
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, string.Join(" ", errors));
        }

        var fileCount = entries.Sum(e => e.Files.Count);
        ExportsLog.RunFinished(_logger, plan.RunId, plan.FlowKind, plan.FlowId, status, result.RowsExported, fileCount, result.Bytes, (long)result.Duration.TotalMilliseconds);
        return result;
    }

    private async Task<ExportEntryResult> ExportEntryAsync(RunState run, ExportEntryPlan entry, CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        var plan = run.Plan;
        using var activity = ExportsTelemetry.ActivitySource.StartActivity("exports.audience");
        activity?.SetTag("dataflow", plan.FlowId);
        activity?.SetTag("destination.type", plan.Target.Definition.Type);
        activity?.SetTag("audience", entry.SourceId);
        activity?.SetTag("run.id", plan.RunId);
        long rowsRead = 0;
        PartitionedFileWriter? writer = null;
        IRowSelector? selector = null;
        try
        {
            if (entry.Problem is not null)
            {
                throw new ExportException($"{entry.ExportName}: {entry.Problem}");
            }

            int[] selection = [];
            await foreach (var batch in entry.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (writer is null)
                {
                    var columns = entry.MapColumns(batch.Schema);
                    run.MappedColumns ??= columns;
                    selector = entry.CreateSelector(batch.Schema);
                    writer = CreateWriter(run, entry, columns, () => rowsRead);
                }

                if (selection.Length < batch.Count)
                {
                    selection = new int[Math.Max(batch.Count, batch.Capacity)];
                }

                rowsRead += batch.Count;
                var selected = selector!.Select(batch, selection);
                if (selected > 0)
                {
                    await writer.WriteAsync(batch, selection.AsMemory(0, selected), cancellationToken).ConfigureAwait(false);
                }

                run.Progress?.Report(new ExportProgress(plan.RunId, entry.SourceId, rowsRead, writer.RowsWritten, writer.BytesWritten, writer.CommittedFiles.Count, writer.CurrentPart));
            }

            if (writer is null && await entry.ColumnsWhenEmptyAsync(cancellationToken).ConfigureAwait(false) is { } emptyColumns)
            {
                // No batch at all: the empty file still has its columns.
                run.EmptyColumns ??= emptyColumns;
                writer = CreateWriter(run, entry, emptyColumns, () => rowsRead);
            }

            if (writer is not null)
            {
                await writer.CompleteAsync(plan.Target.Output.EmptyExport == EmptyExportBehavior.HeaderOnlyFile, cancellationToken).ConfigureAwait(false);
                run.Progress?.Report(new ExportProgress(plan.RunId, entry.SourceId, rowsRead, writer.RowsWritten, writer.BytesWritten, writer.CommittedFiles.Count, writer.CurrentPart));
                RecordEntry(plan, writer, selector);
            }

            activity?.SetTag("rows", writer?.RowsWritten ?? 0);
            activity?.SetTag("bytes", writer?.BytesWritten ?? 0);
            return new ExportEntryResult
            {
                SourceId = entry.SourceId,
                Status = ExportRunStatus.Succeeded,
                FolderPath = entry.FolderPath ?? "",
                RowsRead = rowsRead,
                RowsExported = writer?.RowsWritten ?? 0,
                RowsSkipped = selector?.Skipped ?? new Dictionary<string, long>(),
                DuplicatesDropped = selector?.Duplicates ?? 0,
                Files = writer is null ? [] : [.. writer.CommittedFiles],
                Duration = timeProvider.GetElapsedTime(started),
                Watermark = selector is null ? entry.Since : selector.NextWatermark,
            };
        }
        // A cancellation that is not the run's (a source's own timeout) fails the entry, as any other error does.
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await RollbackAsync(run, writer, entry.SourceId).ConfigureAwait(false);
            ExportsLog.EntryFailed(_logger, ex, plan.RunId, entry.ExportName);
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, ex.Message);
            return new ExportEntryResult
            {
                SourceId = entry.SourceId,
                Status = ExportRunStatus.Failed,
                FolderPath = entry.FolderPath ?? "",
                RowsRead = rowsRead,
                Duration = timeProvider.GetElapsedTime(started),
                Watermark = entry.Since,
                Error = ex.Message.StartsWith(entry.ExportName, StringComparison.Ordinal) ? ex.Message : $"{entry.ExportName}: {ex.Message}",
            };
        }
        catch (OperationCanceledException)
        {
            await RollbackAsync(run, writer, entry.SourceId).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Fixed names: moves each entry's staged parts over the names the partner reads and removes stale parts, once the
    /// files and the manifest are committed. Not cancellable: a set half published would mix two runs.
    /// </summary>
    private async Task<ExportRunStatus> PublishAsync(RunState run, List<ExportEntryResult> entries, List<string> errors, ExportRunStatus status)
    {
        foreach (var (sourceId, writer) in run.Writers.ToList())
        {
            var staged = writer.WrittenPaths.ToList();
            try
            {
                if (await writer.PublishAsync(CancellationToken.None).ConfigureAwait(false) is { } staleError)
                {
                    ExportsLog.StalePartsLeft(_logger, staleError, run.Plan.RunId, sourceId, run.Plan.Target.Definition.Name);
                }

                (run.Progress as IRunJournal)?.Published(staged);
            }
            catch (Exception ex)
            {
                var destination = run.Plan.Target.Definition.Name;
                ExportsLog.PublishFailed(_logger, ex, run.Plan.RunId, sourceId, destination);
                var error = $"{run.Plan.Entries.First(e => e.SourceId == sourceId).ExportName}: the files could not be published under their fixed names at destination '{destination}': {ex.Message}";
                errors.Add(error);
                var index = entries.FindIndex(e => e.SourceId == sourceId);
                entries[index] = entries[index] with { Status = ExportRunStatus.Failed, RowsExported = 0, Files = [], Error = error };
                await RollbackAsync(run, writer, sourceId).ConfigureAwait(false);
                status = entries.Any(e => e.Status == ExportRunStatus.Succeeded) && !run.Plan.AllOrNothing ? ExportRunStatus.PartiallySucceeded : ExportRunStatus.Failed;
            }
        }

        return status;
    }

    /// <summary>
    /// The copy of a successful run's manifest at a fixed path per audience or dataset
    /// (<c>latest/&lt;export id&gt;/&lt;audience or dataset id&gt;.json</c>, only that entry's files: a scheduled slot runs one
    /// audience), written last so it only ever names a complete set. Not cancellable (the run is delivered); a failure
    /// leaves the previous copy and is logged, the run stays delivered.
    /// </summary>
    private async Task WriteLatestAsync(ExportPlan plan, ExportManifest manifest, IReadOnlyList<ExportEntryResult> entries)
    {
        foreach (var entry in entries.Where(e => e.Status == ExportRunStatus.Succeeded))
        {
            var path = "latest/";
            try
            {
                path = DestinationPath.Combine(plan.LatestFolder,
                    $"latest/{FileNameSanitizer.Sanitize(plan.FlowId)}/{FileNameSanitizer.Fit(FileNameSanitizer.Sanitize(entry.SourceId), ".json")}.json");
                var own = manifest with { ExportResults = [.. manifest.ExportResults.Where(f => (f.AudienceId ?? f.DatasetId) == entry.SourceId)] };
                await ManifestWriter.WriteAsync(plan.Target.Destination, path, own, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                ExportsLog.LatestFailed(_logger, ex, plan.RunId, path, plan.Target.Definition.Name);
            }
        }
    }

    /// <param name="run">The run.</param>
    /// <param name="entry">The audience or dataset.</param>
    /// <param name="columns">The file's columns.</param>
    /// <param name="rowsRead">The rows read so far, for progress reported as each part is committed.</param>
    private PartitionedFileWriter CreateWriter(RunState run, ExportEntryPlan entry, OutputColumn[] columns, Func<long> rowsRead)
    {
        var definition = run.Plan.Target.Definition;
        var journal = run.Progress as IRunJournal;
        PartitionedFileWriter? writer = null;
        writer = run.Plan.Target.CreateWriter(columns, entry.ExportName, entry.FolderPath, entry.BaseName, entry.SourceId, file =>
        {
            run.CommittedColumns ??= columns;
            ExportsLog.FileCommitted(_logger, run.Plan.RunId, file.Path, file.Rows, file.Size, entry.SourceId, definition.Name);
            // Progress is otherwise reported after each batch, and one batch may fill many small parts (minutes of
            // commits to a slow destination): each commit shows too.
            run.Progress?.Report(new ExportProgress(run.Plan.RunId, entry.SourceId, rowsRead(), writer!.RowsWritten, writer.BytesWritten, writer.CommittedFiles.Count, writer.CurrentPart));
        }, journal, entry.StagingTag);
        run.Writers.Add((entry.SourceId, writer));
        return writer;
    }

    /// <summary>An all-or-nothing run failed: every file goes, and every entry reports the failure.</summary>
    private async Task<List<ExportEntryResult>> FailAllAsync(RunState run, List<ExportEntryResult> entries, string error)
    {
        await RollbackAllAsync(run).ConfigureAwait(false);
        return [.. entries.Select(e => e.Status == ExportRunStatus.Succeeded
            ? e with { Status = ExportRunStatus.Failed, RowsExported = 0, Files = [], Watermark = run.Plan.Entries.First(p => p.SourceId == e.SourceId).Since, Error = error }
            : e)];
    }

    /// <summary>The audiences or datasets the manifest names whose entry did not succeed (its publish failed).</summary>
    private static HashSet<string> Unpublished(ExportManifest manifest, List<ExportEntryResult> entries)
    {
        var failed = entries.Where(e => e.Status != ExportRunStatus.Succeeded).Select(e => e.SourceId).ToHashSet(StringComparer.Ordinal);
        failed.IntersectWith(manifest.ExportResults.Select(f => f.AudienceId ?? f.DatasetId ?? ""));
        return failed;
    }

    /// <summary>Removes the run's manifest, best effort; one that cannot be removed stays on record for the next clean-up.</summary>
    private async ValueTask RemoveManifestAsync(RunState run, string path)
    {
        if (run.Progress is IRunJournal { TakenOver: true })
        {
            // Same run id, same manifest name: it is the new owner's.
            return;
        }

        try
        {
            await run.Plan.Target.Destination.DeleteAsync(path, CancellationToken.None).ConfigureAwait(false);
            (run.Progress as IRunJournal)?.ManifestRemoved(path);
        }
        catch (Exception ex)
        {
            ExportsLog.LeftoverFileRemovalFailed(_logger, ex, path, run.Plan.Target.Definition.Name, run.Plan.RunId);
        }
    }

    private async ValueTask RollbackAllAsync(RunState run)
    {
        foreach (var (sourceId, writer) in run.Writers.ToList())
        {
            await RollbackAsync(run, writer, sourceId).ConfigureAwait(false);
        }
    }

    private async ValueTask RollbackAsync(RunState run, PartitionedFileWriter? writer, string sourceId)
    {
        if (writer is null)
        {
            return;
        }

        if (run.Progress is IRunJournal { TakenOver: true })
        {
            // The new owner writes the same names: only this writer's uncommitted part goes.
            await writer.DisposeAsync().ConfigureAwait(false);
            run.Writers.RemoveAll(w => ReferenceEquals(w.Writer, writer));
            return;
        }

        var attempted = writer.WrittenPaths.ToList();
        var left = await writer.RollbackAsync().ConfigureAwait(false);
        foreach (var (_, error) in left)
        {
            ExportsLog.RollbackFailed(_logger, error, run.Plan.RunId, sourceId, run.Plan.Target.Definition.Name);
        }

        // What could not be removed stays recorded, for the next run or host start to remove.
        (run.Progress as IRunJournal)?.RolledBack(attempted, [.. left.Select(l => l.Path)]);

        await writer.DisposeAsync().ConfigureAwait(false);
        run.Writers.RemoveAll(w => ReferenceEquals(w.Writer, writer));
    }

    private static void RecordRun(ExportPlan plan, ExportRunStatus status, TimeSpan duration)
    {
        var tags = Tags(plan);
        ExportsTelemetry.RunDuration.Record(duration.TotalSeconds, tags);
        tags.Add("status", status.ToString());
        ExportsTelemetry.Runs.Add(1, tags);
    }

    private static void RecordEntry(ExportPlan plan, PartitionedFileWriter writer, IRowSelector? selector)
    {
        var tags = Tags(plan);
        ExportsTelemetry.RowsExported.Add(writer.RowsWritten, tags);
        ExportsTelemetry.BytesWritten.Add(writer.CommittedFiles.Sum(f => f.Size), tags);
        ExportsTelemetry.FilesCommitted.Add(writer.CommittedFiles.Count, tags);
        if (selector is null)
        {
            return;
        }

        foreach (var (reason, count) in selector.Skipped)
        {
            var skipped = Tags(plan);
            skipped.Add("reason", reason);
            ExportsTelemetry.RowsSkipped.Add(count, skipped);
        }

        if (selector.Duplicates > 0)
        {
            var duplicates = Tags(plan);
            duplicates.Add("reason", "duplicate");
            ExportsTelemetry.RowsSkipped.Add(selector.Duplicates, duplicates);
        }
    }

    private static System.Diagnostics.TagList Tags(ExportPlan plan) => new()
    {
        { "dataflow", plan.FlowId },
        { "destination.type", plan.Target.Definition.Type },
    };

    private sealed class RunState(ExportPlan plan, IProgress<ExportProgress>? progress)
    {
        public ExportPlan Plan { get; } = plan;

        public IProgress<ExportProgress>? Progress { get; } = progress;

        /// <summary>The open and committed writers, until rolled back.</summary>
        public List<(string SourceId, PartitionedFileWriter Writer)> Writers { get; } = [];

        /// <summary>The columns of the first committed file, for the manifest.</summary>
        public OutputColumn[]? CommittedColumns { get; set; }

        /// <summary>The columns of the first entry read, with the source's types, for a manifest that lists no file.</summary>
        public OutputColumn[]? MappedColumns { get; set; }

        /// <summary>The columns of the first entry that read no batch (from the source's listing, or the defaults).</summary>
        public OutputColumn[]? EmptyColumns { get; set; }

        public IReadOnlyList<OutputColumn> ManifestColumns => CommittedColumns ?? MappedColumns ?? EmptyColumns ?? Plan.DefaultColumns;
    }
}
