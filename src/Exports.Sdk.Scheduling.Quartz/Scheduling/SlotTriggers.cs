using global::Quartz;

namespace Exports.Sdk.Scheduling.Quartz;

/// <summary>Plans an audience job's next wake-up as a one-shot Quartz trigger and removes the ones it replaces.</summary>
internal static class SlotTriggers
{
    /// <summary>
    /// Schedules the job to wake at <paramref name="wake"/> (nothing when null) and unschedules its other waiting
    /// triggers, except <paramref name="keep"/> (the trigger that is firing now; Quartz completes it).
    /// </summary>
    public static async Task PlanAsync(IScheduler scheduler, JobKey job, DateTimeOffset? wake, DateTimeOffset wakeKey, string kind, TriggerKey? keep, CancellationToken cancellationToken)
    {
        TriggerKey? planned = null;
        if (wake is { } at)
        {
            planned = SlotJobKeys.Trigger(job, wakeKey, kind);
            var trigger = TriggerBuilder.Create()
                .WithIdentity(planned)
                .ForJob(job)
                .StartAt(at)
                // A wake-up that was missed (every host down) fires as soon as a host is back; the job then applies
                // MissedRunPolicy itself, because only it knows which occurrence is the latest due.
                .WithSimpleSchedule(s => s.WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow))
                .Build();
            try
            {
                await scheduler.ScheduleJob(trigger, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (ObjectAlreadyExistsException)
            {
                // Another host planned the same wake-up.
            }
        }

        foreach (var other in await scheduler.GetTriggersOfJob(job, cancellationToken).ConfigureAwait(false))
        {
            if (other.Key.Equals(planned) || other.Key.Equals(keep))
            {
                continue;
            }

            var state = await scheduler.GetTriggerState(other.Key, cancellationToken).ConfigureAwait(false);
            if (state is TriggerState.Normal or TriggerState.Paused or TriggerState.Error)
            {
                await scheduler.UnscheduleJob(other.Key, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
