using System.Runtime.ExceptionServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Exports.Sdk;

/// <summary>The slot rules shared by the in-process scheduler and clustered schedulers.</summary>
internal sealed class ExportSlotRunner(
    IExportStore store,
    ExportRunner runner,
    DatasetExportRunner datasets,
    AudienceStateGate states,
    IServiceProvider services,
    IOptions<ExportsOptions> options,
    TimeProvider time) : IExportSlotRunner
{
    public async Task<IReadOnlyList<ScheduledEntry>> ListScheduledAsync(CancellationToken cancellationToken = default)
    {
        var entries = new List<ScheduledEntry>();
        var dataflows = options.Value.Dataflows.Values.ToList();
        await foreach (var stored in store.ListDataflowsAsync(cancellationToken).ConfigureAwait(false))
        {
            dataflows.Add(stored.Definition);
        }

        foreach (var dataflow in dataflows.Where(d => d.ScheduleEnabled))
        {
            entries.AddRange(dataflow.Audiences.Where(a => IsRunnable(a.Schedule)).Select(a => ScheduledEntry.For(dataflow, a)));
        }

        var exports = options.Value.DatasetExports.Values.ToList();
        await foreach (var stored in store.ListDatasetExportsAsync(cancellationToken).ConfigureAwait(false))
        {
            exports.Add(stored.Definition);
        }

        entries.AddRange(exports.Where(e => e.ScheduleEnabled && IsRunnable(e.Schedule)).Select(ScheduledEntry.For));
        return entries;
    }

    public async Task<ScheduledEntry?> FindScheduledAsync(ExportFlowKind kind, string exportId, string entryId, CancellationToken cancellationToken = default)
    {
        if (kind == ExportFlowKind.DatasetExport)
        {
            var export = options.Value.DatasetExports.GetValueOrDefault(exportId)
                ?? (await store.GetDatasetExportAsync(exportId, cancellationToken).ConfigureAwait(false))?.Definition;
            return export is { ScheduleEnabled: true } && export.DatasetId == entryId && IsRunnable(export.Schedule) ? ScheduledEntry.For(export) : null;
        }

        var dataflow = options.Value.Dataflows.GetValueOrDefault(exportId)
            ?? (await store.GetDataflowAsync(exportId, cancellationToken).ConfigureAwait(false))?.Definition;
        return dataflow is { ScheduleEnabled: true } && dataflow.Audiences.Find(a => a.AudienceId == entryId) is { } audience && IsRunnable(audience.Schedule)
            ? ScheduledEntry.For(dataflow, audience)
            : null;
    }

    private static bool IsRunnable(ExportSchedule? schedule) => schedule?.ParseStartTime() is not null;

    public ValueTask<SlotReadiness> CheckReadinessAsync(ScheduledEntry entry, DateTimeOffset slot, DateTimeOffset? signalledEvaluation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry is { Dataflow: { } dataflow, Audience: { } audience }
            ? CheckReadinessAsync(dataflow, audience, slot, signalledEvaluation, cancellationToken)
            : ValueTask.FromResult(SlotReadiness.Ready);
    }

    public Task<ExportRunRecord> RunSlotAsync(ScheduledEntry entry, DateTimeOffset slot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry switch
        {
            { Dataflow: { } dataflow, Audience: { } audience } => RunSlotAsync(dataflow, audience, slot, cancellationToken),
            { DatasetExport: { } export } => RunDatasetSlotAsync(export, slot, cancellationToken),
            _ => throw new ArgumentException($"The scheduled entry {entry} names no dataflow audience or dataset export.", nameof(entry)),
        };
    }

    private async Task<ExportRunRecord> RunDatasetSlotAsync(DatasetExportDefinition export, DateTimeOffset slot, CancellationToken cancellationToken)
    {
        var runId = SlotRunId.For(export.Id, export.DatasetId, slot);
        var state = await store.GetAudienceStateAsync(export.Id, export.DatasetId, cancellationToken).ConfigureAwait(false);
        // As for audiences: positions from the data, an overlap re-read before the newest exported, never this host's
        // clock; a value more than a day ahead of it (a mistake) does not move the next start.
        var increment = export.Mode == ExportMode.FirstFullThenIncremental
            ? new DatasetIncrement(state?.DatasetWatermark, state?.RecentChanges, options.Value.Runs.IncrementalOverlap, export.WatermarkOverlap, time.GetUtcNow().AddDays(1))
            : null;
        var (record, _) = await datasets.RunAsync(export, new DatasetRunRequest { RunId = runId, ScheduledTime = slot }, increment, ExportRunTrigger.Scheduled, null, cancellationToken).ConfigureAwait(false);
        if (record.Status == ExportRunStatus.Succeeded)
        {
            // Every file and the manifest are committed: only now may the watermark move.
            var (next, recent) = increment?.Next() ?? (state?.DatasetWatermark, state?.RecentChanges);
            // Unless the export started over while this run ran (another column, created anew): then the reset stands.
            var started = (state?.DatasetWatermark, state?.RecentChanges);
            await CompleteSlotAsync(() => states.UpdateAsync(export.Id, export.DatasetId, latest => latest with
            {
                DatasetWatermark = (latest.DatasetWatermark, latest.RecentChanges) == started ? next : latest.DatasetWatermark,
                RecentChanges = (latest.DatasetWatermark, latest.RecentChanges) == started ? recent : latest.RecentChanges,
                LastSuccessfulRunId = runId,
                LastCompletedSlot = slot,
            }, CancellationToken.None)).ConfigureAwait(false);
        }

        return record;
    }

    private async ValueTask<SlotReadiness> CheckReadinessAsync(DataflowDefinition dataflow, AudienceActivation audience, DateTimeOffset slot, DateTimeOffset? signalledEvaluation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataflow);
        ArgumentNullException.ThrowIfNull(audience);
        var source = services.GetKeyedService<IAudienceSource>(dataflow.Source);
        var status = source is IAudienceEvaluationStatus s
            ? await s.GetEvaluationStateAsync(audience.AudienceId, cancellationToken).ConfigureAwait(false)
            : null;

        if (audience.Schedule?.Trigger == ScheduleTrigger.AfterSegmentEvaluation)
        {
            // The latest of: the signal held in memory, the one saved in the store (it survives a restart), and the
            // source's own evaluation time.
            var saved = (await store.GetAudienceStateAsync(dataflow.Id, audience.AudienceId, cancellationToken).ConfigureAwait(false))?.LastEvaluatedAt;
            var evaluatedAt = Latest(signalledEvaluation, saved);
            if (status?.LastEvaluatedAt is { } pulled && (evaluatedAt is null || pulled > evaluatedAt))
            {
                evaluatedAt = pulled;
            }

            // The day's evaluation counts, not an earlier one: the export follows that day's audience.
            var dayStart = new DateTimeOffset(slot.UtcDateTime.Date, TimeSpan.Zero);
            if (evaluatedAt is null || evaluatedAt < dayStart)
            {
                return SlotReadiness.WaitingForEvaluation;
            }
        }

        return status is { IsRefreshing: true } ? SlotReadiness.WaitingForRefresh : SlotReadiness.Ready;
    }

    /// <summary>
    /// Moves the slot's watermark after a delivered run, retrying a store that fails for a moment: a slot left
    /// uncompleted is exported again (its files rewritten under the same names) at the next check.
    /// </summary>
    private async Task CompleteSlotAsync(Func<Task> update)
    {
        if (await StoreRetry.WriteAsync(update, time).ConfigureAwait(false) is { } error)
        {
            ExceptionDispatchInfo.Throw(error);
        }
    }

    private static DateTimeOffset? Latest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : (a > b ? a : b);

    private async Task<ExportRunRecord> RunSlotAsync(DataflowDefinition dataflow, AudienceActivation audience, DateTimeOffset slot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataflow);
        ArgumentNullException.ThrowIfNull(audience);
        var runId = SlotRunId.For(dataflow.Id, audience.AudienceId, slot);
        var state = await store.GetAudienceStateAsync(dataflow.Id, audience.AudienceId, cancellationToken).ConfigureAwait(false);
        var incremental = audience.Mode == ExportMode.FirstFullThenIncremental;
        // The watermark comes from the source's own change times, never this host's clock; the next run re-reads an
        // overlap before it (late commits) and drops the changes this one exported there.
        // A database clock may run ahead of this host's, but not by a day: a row dated later (a mistake) does not move
        // the next start; it is remembered in the digest instead, so it is not sent twice.
        var window = incremental ? new IncrementalWindow(state?.Watermark, options.Value.Runs.IncrementalOverlap, state?.RecentChanges, time.GetUtcNow().AddDays(1)) : null;
        var record = await runner.RunAsync(dataflow, new RunStart
        {
            AudienceIds = [audience.AudienceId],
            Trigger = ExportRunTrigger.Scheduled,
            RunId = runId,
            ScheduledTime = slot,
            Windows = window is null ? null : new Dictionary<string, IncrementalWindow> { [audience.AudienceId] = window },
        }, null, cancellationToken).ConfigureAwait(false);

        if (record.Status == ExportRunStatus.Succeeded)
        {
            // Files and manifest are committed: only now may the watermark move.
            // Read again under the gate: an evaluation signal saved while the run ran must survive this write.
            var (next, recent) = window?.Next() ?? (state?.Watermark, state?.RecentChanges);
            // Unless the audience started over while this run ran (switched to incremental, added anew): then the reset stands.
            var started = (state?.Watermark, state?.RecentChanges);
            await CompleteSlotAsync(() => states.UpdateAsync(dataflow.Id, audience.AudienceId, latest => latest with
            {
                Watermark = (latest.Watermark, latest.RecentChanges) == started ? next : latest.Watermark,
                RecentChanges = (latest.Watermark, latest.RecentChanges) == started ? recent : latest.RecentChanges,
                LastSuccessfulRunId = runId,
                LastCompletedSlot = slot,
            }, CancellationToken.None)).ConfigureAwait(false);
        }

        return record;
    }
}
