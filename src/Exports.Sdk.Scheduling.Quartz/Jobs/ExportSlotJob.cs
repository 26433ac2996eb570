using global::Quartz;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Exports.Sdk.Scheduling.Quartz;

/// <summary>
/// The Quartz job of one dataflow audience or dataset export. Each firing works out, from the current schedule and the state in
/// the shared store, which occurrence is the latest due and not completed, and runs it through the core's
/// <see cref="IExportSlotRunner"/> (deterministic run id, atomic claim, watermark after success). Then it plans its
/// next wake-up. Quartz fires one trigger on one host and never runs this job twice at once across the cluster
/// (<see cref="DisallowConcurrentExecutionAttribute"/>); a firing whose host died is fired again on another host
/// (the job requests recovery), where the same run id replaces what the dead host left.
/// </summary>
[DisallowConcurrentExecution]
internal sealed partial class ExportSlotJob(
    IExportStore store,
    IExportSlotRunner slots,
    SlotCalendar calendar,
    IOptions<QuartzExportSchedulerOptions> options,
    TimeProvider time,
    ILogger<ExportSlotJob> logger) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var data = context.JobDetail.JobDataMap;
        var dataflowId = data.GetString(SlotJobKeys.DataflowId) ?? "";
        var audienceId = data.GetString(SlotJobKeys.AudienceId) ?? "";
        var job = context.JobDetail.Key;

        // Jobs written before dataset exports were scheduled carry no kind: they are audiences.
        var kind = Enum.TryParse<ExportFlowKind>(data.GetString(SlotJobKeys.Kind), out var k) ? k : ExportFlowKind.Dataflow;
        var entry = await slots.FindScheduledAsync(kind, dataflowId, audienceId, cancellationToken).ConfigureAwait(false);
        if (entry is null)
        {
            // Deleted, switched off or unscheduled on some host: nothing to plan.
            await context.Scheduler.DeleteJob(job, cancellationToken).ConfigureAwait(false);
            return;
        }

        var schedule = entry.Schedule;
        var o = options.Value;
        var now = time.GetUtcNow();
        var state = await store.GetAudienceStateAsync(dataflowId, audienceId, cancellationToken).ConfigureAwait(false);
        var due = calendar.Previous(schedule, now);
        if (due is not { } slot || state?.LastCompletedSlot >= slot)
        {
            await PlanAsync(context, calendar.Next(schedule, now), "slot", cancellationToken).ConfigureAwait(false);
            return;
        }

        if (now - slot > o.MisfireThreshold && o.MissedRuns == MissedRunPolicy.Skip)
        {
            await store.SaveAudienceStateAsync((state ?? new AudienceExportState { DataflowId = dataflowId, AudienceId = audienceId }) with { LastCompletedSlot = slot }, cancellationToken).ConfigureAwait(false);
            SlotSkippedMissed(logger, dataflowId, audienceId, slot);
            await PlanAsync(context, calendar.Next(schedule, now), "slot", cancellationToken).ConfigureAwait(false);
            return;
        }

        var signalled = long.TryParse(data.GetString(SlotJobKeys.EvaluatedAt), out var ticks) ? new DateTimeOffset(ticks, TimeSpan.Zero) : (DateTimeOffset?)null;
        var readiness = await slots.CheckReadinessAsync(entry, slot, signalled, cancellationToken).ConfigureAwait(false);
        if (readiness != SlotReadiness.Ready)
        {
            SlotWaiting(logger, dataflowId, audienceId, slot, readiness);
            await PlanAsync(context, now + o.PollInterval, "wait", cancellationToken).ConfigureAwait(false);
            return;
        }

        DateTimeOffset? wake;
        var planned = "slot";
        try
        {
            SlotStarting(logger, dataflowId, audienceId, slot, context.Recovering, o.InstanceId);
            var record = await slots.RunSlotAsync(entry, slot, cancellationToken).ConfigureAwait(false);
            SlotFinished(logger, dataflowId, audienceId, record.RunId, record.Status);
            if (record.Status == ExportRunStatus.Succeeded)
            {
                var after = time.GetUtcNow();
                wake = calendar.NextWake(schedule, (state ?? new AudienceExportState { DataflowId = dataflowId, AudienceId = audienceId }) with { LastCompletedSlot = slot }, after);
            }
            else
            {
                (wake, planned) = (Earliest(time.GetUtcNow() + o.RetryDelay, calendar.Next(schedule, now)), "retry");
            }
        }
        catch (ExportRunInProgressException ex)
        {
            // "Export now" holds the audience, or the host that ran this slot died and its lease has not expired yet.
            SlotBusy(logger, dataflowId, audienceId, slot, ex.Message);
            (wake, planned) = (time.GetUtcNow() + o.PollInterval, "wait");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // This host is stopping: plan nothing; another host's reconciliation (or this one after a restart) picks
            // the slot up again with the same run id.
            throw;
        }
        catch (Exception ex)
        {
            SlotFailed(logger, ex, dataflowId, audienceId, slot);
            (wake, planned) = (Earliest(time.GetUtcNow() + o.RetryDelay, calendar.Next(schedule, now)), "retry");
        }

        await PlanAsync(context, wake, planned, CancellationToken.None).ConfigureAwait(false);
    }

    private static DateTimeOffset? Earliest(DateTimeOffset a, DateTimeOffset? b) => b is { } x && x < a ? x : a;

    private Task PlanAsync(IJobExecutionContext context, DateTimeOffset? wake, string kind, CancellationToken cancellationToken) =>
        SlotTriggers.PlanAsync(context.Scheduler, context.JobDetail.Key, wake, wake ?? time.GetUtcNow(), kind, context.Trigger.Key, cancellationToken);

    [LoggerMessage(EventId = 3200, EventName = "ClusteredSlotStarting", Level = LogLevel.Information, Message = "Dataflow {DataflowId}, audience {AudienceId}: occurrence {Slot:o} starts on {Host} (recovering: {Recovering})")]
    private static partial void SlotStarting(ILogger logger, string dataflowId, string audienceId, DateTimeOffset slot, bool recovering, string host);

    [LoggerMessage(EventId = 3201, EventName = "ClusteredSlotFinished", Level = LogLevel.Information, Message = "Dataflow {DataflowId}, audience {AudienceId}: run {RunId} finished {Status}")]
    private static partial void SlotFinished(ILogger logger, string dataflowId, string audienceId, string runId, ExportRunStatus status);

    [LoggerMessage(EventId = 3202, EventName = "ClusteredSlotWaiting", Level = LogLevel.Information, Message = "Dataflow {DataflowId}, audience {AudienceId}: occurrence {Slot:o} waits ({Readiness})")]
    private static partial void SlotWaiting(ILogger logger, string dataflowId, string audienceId, DateTimeOffset slot, SlotReadiness readiness);

    [LoggerMessage(EventId = 3203, EventName = "ClusteredSlotBusy", Level = LogLevel.Information, Message = "Dataflow {DataflowId}, audience {AudienceId}: occurrence {Slot:o} waits for a run in progress: {Reason}")]
    private static partial void SlotBusy(ILogger logger, string dataflowId, string audienceId, DateTimeOffset slot, string reason);

    [LoggerMessage(EventId = 3204, EventName = "ClusteredSlotFailed", Level = LogLevel.Error, Message = "Dataflow {DataflowId}, audience {AudienceId}: occurrence {Slot:o} failed; it is retried")]
    private static partial void SlotFailed(ILogger logger, Exception exception, string dataflowId, string audienceId, DateTimeOffset slot);

    [LoggerMessage(EventId = 3205, EventName = "ClusteredSlotSkippedMissed", Level = LogLevel.Warning, Message = "Dataflow {DataflowId}, audience {AudienceId}: occurrence {Slot:o} was missed and is skipped (MissedRuns = Skip)")]
    private static partial void SlotSkippedMissed(ILogger logger, string dataflowId, string audienceId, DateTimeOffset slot);
}
