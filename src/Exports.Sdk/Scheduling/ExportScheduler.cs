using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Exports.Sdk;

/// <summary>
/// The in-process scheduler (a hosted service). Each tick it reads every enabled schedule (so edits apply without a
/// restart), finds the latest due occurrence of each activated audience and dataset export that is not completed yet,
/// and runs it once:
/// with a deterministic run id, after the source's refresh or evaluation when the trigger asks for it, within the
/// concurrency limit. Progress per audience (the last completed occurrence and the incremental watermark) is kept in
/// the store, so a restart neither repeats nor skips an occurrence; missed ones get one catch-up run (or are skipped).
/// </summary>
internal sealed class ExportScheduler : BackgroundService, IExportScheduler
{
    private readonly IExportStore _store;
    private readonly IOptions<ExportsOptions> _exports;
    private readonly ExportSchedulerOptions _options;
    private readonly IExportSlotRunner _slots;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<(string Source, string Audience), DateTimeOffset> _evaluations = new();
    private readonly AudienceStateGate _states;
    private readonly ConcurrentDictionary<(string Dataflow, string Audience), (DateTimeOffset Slot, Task Run)> _running = new();
    private readonly ConcurrentDictionary<(string Dataflow, string Audience), DateTimeOffset> _retryAfter = new();
    private readonly ConcurrentDictionary<(string Dataflow, string Audience, DateTimeOffset Slot, string Decision), byte> _announced = new();
    private readonly SemaphoreSlim _wake = new(0, int.MaxValue);
    private readonly SemaphoreSlim _tick = new(1, 1);
    private readonly SemaphoreSlim _runSlots;
    private DateTimeOffset? _lastTickAt;
    private bool _isRunning;

    public ExportScheduler(
        IExportStore store,
        IOptions<ExportsOptions> exports,
        IOptions<ExportSchedulerOptions> options,
        IExportSlotRunner slots,
        AudienceStateGate states,
        TimeProvider time,
        ILogger<ExportScheduler> logger)
    {
        _states = states;
        _store = store;
        _exports = exports;
        _options = options.Value;
        _slots = slots;
        _time = time;
        _logger = logger;
        _runSlots = new SemaphoreSlim(Math.Max(1, _options.MaxConcurrentRuns));
    }

    public ValueTask RefreshAsync(string dataflowId, CancellationToken cancellationToken = default)
    {
        _wake.Release();
        return ValueTask.CompletedTask;
    }

    public async ValueTask NotifyAudienceEvaluatedAsync(string source, string audienceId, DateTimeOffset evaluatedAt, CancellationToken cancellationToken = default)
    {
        _evaluations.AddOrUpdate((source, audienceId), evaluatedAt, (_, previous) => evaluatedAt > previous ? evaluatedAt : previous);

        // Saved with every dataflow that exports this audience, so a restart before the slot runs does not lose it.
        foreach (var dataflow in await LoadDataflowsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (dataflow.Source != source || !dataflow.Audiences.Exists(a => a.AudienceId == audienceId))
            {
                continue;
            }

            await _states.UpdateAsync(dataflow.Id, audienceId, state =>
                state.LastEvaluatedAt is { } previous && previous >= evaluatedAt ? null : state with { LastEvaluatedAt = evaluatedAt }, cancellationToken).ConfigureAwait(false);
        }

        _wake.Release();
    }

    public async ValueTask<IReadOnlyList<ScheduledRun>> GetUpcomingAsync(DateTimeOffset until, CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        var upcoming = new List<ScheduledRun>();
        foreach (var entry in await _slots.ListScheduledAsync(cancellationToken).ConfigureAwait(false))
        {
            upcoming.AddRange(ScheduleCalculator.Occurrences(entry.Schedule, now, until)
                .Select(t => new ScheduledRun(entry.ExportId, entry.EntryId, t, SlotRunId.For(entry.ExportId, entry.EntryId, t))));
        }

        return [.. upcoming.OrderBy(r => r.Time).ThenBy(r => r.DataflowId, StringComparer.Ordinal).ThenBy(r => r.AudienceId, StringComparer.Ordinal)];
    }

    /// <summary>The scheduler's state for health reports.</summary>
    internal SchedulerHealth GetHealth()
    {
        var now = _time.GetUtcNow();
        return new SchedulerHealth(
            _isRunning,
            _lastTickAt,
            _running.Count,
            [.. _retryAfter.Where(r => r.Value > now).Select(r => $"{r.Key.Dataflow}/{r.Key.Audience}").Order(StringComparer.Ordinal)]);
    }

    /// <summary>Waits for the runs started so far to finish (tests and shutdown).</summary>
    internal Task WhenIdleAsync() => Task.WhenAll(_running.Values.Select(r => r.Run));

    /// <summary>One pass over every schedule; returns when the next occurrence is due (null when none is).</summary>
    internal async Task<DateTimeOffset?> TickAsync(CancellationToken cancellationToken)
    {
        // One pass at a time: two passes could both see a slot as not running and start it twice.
        await _tick.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await TickOnceAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _tick.Release();
        }
    }

    private async Task<DateTimeOffset?> TickOnceAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        _lastTickAt = now;
        DateTimeOffset? wakeAt = null;
        foreach (var entry in await _slots.ListScheduledAsync(cancellationToken).ConfigureAwait(false))
        {
            wakeAt = Earliest(wakeAt, ScheduleCalculator.Next(entry.Schedule, now));
            wakeAt = Earliest(wakeAt, await ConsiderAsync(entry, now, cancellationToken).ConfigureAwait(false));
        }

        return wakeAt;
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // ExecuteAsync starts on a pool thread; the scheduler counts as running from the host's start.
        _isRunning = true;
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await LoopAsync(stoppingToken).ConfigureAwait(false);
        }
        finally
        {
            _isRunning = false;
        }
    }

    private async Task LoopAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var delay = _options.PollInterval;
            try
            {
                var wakeAt = await TickAsync(stoppingToken).ConfigureAwait(false);
                if (wakeAt is { } at)
                {
                    delay = TimeSpan.FromTicks(Math.Clamp((at - _time.GetUtcNow()).Ticks, 0, _options.PollInterval.Ticks));
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                ExportsLog.SchedulerTickFailed(_logger, ex);
            }

            await WaitAsync(delay, stoppingToken).ConfigureAwait(false);
        }

        try
        {
            // Runs stop with the host's token; let them clean up before the host goes.
            await WhenIdleAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : a < b ? a : b;

    private async Task<DateTimeOffset?> ConsiderAsync(ScheduledEntry entry, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var key = (entry.ExportId, entry.EntryId);
        var latest = ScheduleCalculator.Previous(entry.Schedule, now);
        if (latest is not { } slot)
        {
            return null;
        }

        if (_running.TryGetValue(key, out var running))
        {
            if (slot > running.Slot && Announce(key, slot, "skipped-running"))
            {
                ExportsLog.SlotSkippedPreviousRunning(_logger, entry.ExportId, entry.EntryId, slot);
                Count("skipped", entry.ExportId);
            }

            return null;
        }

        if (_retryAfter.TryGetValue(key, out var retryAt) && retryAt > now)
        {
            return retryAt;
        }

        var state = await _store.GetAudienceStateAsync(entry.ExportId, entry.EntryId, cancellationToken).ConfigureAwait(false);
        if (state?.LastCompletedSlot is { } completed && slot <= completed)
        {
            return null;
        }

        if (Announce(key, slot, "due"))
        {
            ExportsLog.SlotDue(_logger, entry.ExportId, entry.EntryId, slot);
            Count("due", entry.ExportId);
        }

        var late = now - slot > _options.MisfireThreshold;
        if (late && _options.MissedRuns == MissedRunPolicy.Skip)
        {
            await _states.UpdateAsync(entry.ExportId, entry.EntryId, current => current with { LastCompletedSlot = slot }, cancellationToken).ConfigureAwait(false);
            ExportsLog.SlotSkippedMissed(_logger, entry.ExportId, entry.EntryId, slot);
            Count("skipped", entry.ExportId);
            return null;
        }

        if (!await IsReadyAsync(entry, slot, cancellationToken).ConfigureAwait(false))
        {
            return now + _options.PollInterval;
        }

        Start(entry, slot, state, late, cancellationToken);
        return null;
    }

    private async Task<bool> IsReadyAsync(ScheduledEntry entry, DateTimeOffset slot, CancellationToken cancellationToken)
    {
        var key = (entry.ExportId, entry.EntryId);
        var signalled = entry.Dataflow is { } dataflow && _evaluations.TryGetValue((dataflow.Source, entry.EntryId), out var pushed) ? pushed : (DateTimeOffset?)null;
        var readiness = await _slots.CheckReadinessAsync(entry, slot, signalled, cancellationToken).ConfigureAwait(false);
        if (readiness == SlotReadiness.WaitingForEvaluation && Announce(key, slot, "waiting-evaluation"))
        {
            ExportsLog.SlotWaitingForEvaluation(_logger, entry.ExportId, entry.EntryId, slot);
            Count("waiting", entry.ExportId);
        }
        else if (readiness == SlotReadiness.WaitingForRefresh && Announce(key, slot, "waiting-refresh"))
        {
            ExportsLog.SlotWaitingForRefresh(_logger, entry.ExportId, entry.EntryId, slot);
            Count("waiting", entry.ExportId);
        }

        return readiness == SlotReadiness.Ready;
    }

    private void Start(ScheduledEntry entry, DateTimeOffset slot, AudienceExportState? state, bool catchUp, CancellationToken cancellationToken)
    {
        var key = (entry.ExportId, entry.EntryId);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var run = RunSlotAsync(entry, slot, state, catchUp, gate.Task, cancellationToken);
        _running[key] = (slot, run);
        gate.SetResult();
    }

    private async Task RunSlotAsync(ScheduledEntry entry, DateTimeOffset slot, AudienceExportState? state, bool catchUp, Task registered, CancellationToken cancellationToken)
    {
        var key = (entry.ExportId, entry.EntryId);
        var runId = SlotRunId.For(entry.ExportId, entry.EntryId, slot);
        await registered.ConfigureAwait(false);
        try
        {
            await _runSlots.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var incremental = entry.IsIncremental && (state?.Watermark is not null || state?.DatasetWatermark is not null);
                ExportsTelemetry.SchedulerLag.Record((_time.GetUtcNow() - slot).TotalSeconds, new KeyValuePair<string, object?>("dataflow", entry.ExportId));
                ExportsLog.SlotStarted(_logger, entry.ExportId, entry.EntryId, runId, slot, catchUp ? "catch-up" : "on time", incremental ? "incremental" : "full");
                Count("started", entry.ExportId);

                // Claim, run, record, and advance the watermark after success: the same path clustered schedulers use.
                var record = await _slots.RunSlotAsync(entry, slot, cancellationToken).ConfigureAwait(false);

                if (record.Status == ExportRunStatus.Succeeded)
                {
                    _retryAfter.TryRemove(key, out _);
                    Forget(key);
                }
                else
                {
                    _retryAfter[key] = _time.GetUtcNow() + _options.RetryDelay;
                }

                ExportsLog.SlotFinished(_logger, entry.ExportId, entry.EntryId, runId, slot, record.Status);
                Count("finished", entry.ExportId);
            }
            finally
            {
                _runSlots.Release();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Host stopping: the slot stays due and is run again, with the same id, after the restart.
        }
        catch (ExportRunInProgressException)
        {
            // An "export now" holds the audience; try again on a later tick.
            _retryAfter[key] = _time.GetUtcNow() + _options.PollInterval;
            ExportsLog.SlotSkippedPreviousRunning(_logger, entry.ExportId, entry.EntryId, slot);
            Count("skipped", entry.ExportId);
        }
        catch (Exception ex)
        {
            _retryAfter[key] = _time.GetUtcNow() + _options.RetryDelay;
            ExportsLog.SlotFailed(_logger, ex, entry.ExportId, entry.EntryId, runId, slot);
            Count("finished", entry.ExportId);
        }
        finally
        {
            _running.TryRemove(key, out _);
            _wake.Release();
        }
    }

    private async Task<IReadOnlyList<DataflowDefinition>> LoadDataflowsAsync(CancellationToken cancellationToken)
    {
        var dataflows = _exports.Value.Dataflows.Values.ToList();
        await foreach (var stored in _store.ListDataflowsAsync(cancellationToken).ConfigureAwait(false))
        {
            dataflows.Add(stored.Definition);
        }

        return dataflows;
    }

    /// <summary>Logs each decision once per occurrence, not once per tick.</summary>
    private bool Announce((string Dataflow, string Audience) key, DateTimeOffset slot, string decision) =>
        _announced.TryAdd((key.Dataflow, key.Audience, slot, decision), 0);

    private void Forget((string Dataflow, string Audience) key)
    {
        foreach (var entry in _announced.Keys.Where(k => k.Dataflow == key.Dataflow && k.Audience == key.Audience))
        {
            _announced.TryRemove(entry, out _);
        }
    }

    private static void Count(string decision, string dataflowId) =>
        ExportsTelemetry.SchedulerDecisions.Add(1, new KeyValuePair<string, object?>("decision", decision), new KeyValuePair<string, object?>("dataflow", dataflowId));

    private async Task WaitAsync(TimeSpan delay, CancellationToken stoppingToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var timer = Task.Delay(delay, _time, wait.Token);
        var wake = _wake.WaitAsync(wait.Token);
        await Task.WhenAny(timer, wake).ConfigureAwait(false);
        await wait.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(timer, wake).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
