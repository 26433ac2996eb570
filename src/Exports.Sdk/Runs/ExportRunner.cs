using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Exports.Sdk;

/// <summary>
/// The one run path: claim the audiences in the store (refusing when one is already being exported), run the engine
/// while a heartbeat saves progress and watches for cancellation, and record the outcome. Code
/// (<see cref="IExportRunner"/>), the management API (through <see cref="ExportRunQueue"/>) and the schedulers all
/// start runs here, so every run is in the same history and can be cancelled by id. Checks no permissions.
/// </summary>
internal sealed class ExportRunner(
    IExportStore store,
    AudiencePlanner planner,
    ExportPipeline pipeline,
    ActiveRuns active,
    LeftoverCleanup leftovers,
    IOptions<ExportsOptions> options,
    TimeProvider timeProvider,
    ILogger<ExportRunner>? logger = null) : IExportRunner
{
    private readonly ILogger _logger = logger ?? NullLogger<ExportRunner>.Instance;

    public async Task<ExportRunResult> RunAsync(DataflowDefinition dataflow, ExportRunRequest request, IProgress<ExportProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataflow);
        ArgumentNullException.ThrowIfNull(request);
        var (_, result) = await RunCoreAsync(dataflow, new RunStart
        {
            AudienceIds = [.. (request.AudienceIds is { Count: > 0 } ids ? ids : dataflow.Audiences.Select(a => a.AudienceId)).Distinct(StringComparer.Ordinal)],
            Trigger = ExportRunTrigger.OnDemand,
            RunId = request.RunId,
            ScheduledTime = request.ScheduledTime,
            ChangedSince = request.ChangedSince,
        }, progress, cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>Runs on the caller's flow and returns the stored record (the schedulers' entry).</summary>
    public async Task<ExportRunRecord> RunAsync(DataflowDefinition dataflow, RunStart start, IProgress<ExportProgress>? progress, CancellationToken cancellationToken)
    {
        var (record, _) = await RunCoreAsync(dataflow, start, progress, cancellationToken).ConfigureAwait(false);
        return record;
    }

    /// <summary>Claims a dataflow run as queued; <see cref="ExportRunQueue"/> executes it with <see cref="Plan"/>.</summary>
    /// <exception cref="ExportRunInProgressException">An audience is already being exported.</exception>
    public Task<ActiveRun> ClaimQueuedAsync(DataflowDefinition dataflow, RunStart start, CancellationToken cancellationToken) =>
        ClaimAsync(NewRecord(ExportFlowKind.Dataflow, dataflow.Id, dataflow.Destination, start.AudienceIds, start.Trigger, start.RunId, start.ScheduledTime, start.RequestedBy, queued: true), cancellationToken);

    /// <summary>How a dataflow run is planned once it executes.</summary>
    public Func<CancellationToken, Task<ExportPlan>> Plan(DataflowDefinition dataflow, RunStart start, ExportRunRecord record) =>
        ct => planner.PlanAsync(dataflow, new ExportRunRequest
        {
            AudienceIds = start.AudienceIds,
            RunId = record.RunId,
            ScheduledTime = record.ScheduledTime,
            ChangedSince = start.ChangedSince,
        }, start.Windows, ct);

    /// <summary>A run's record as it starts: one run-id generator for every kind of run.</summary>
    internal ExportRunRecord NewRecord(ExportFlowKind kind, string flowId, string destination, IReadOnlyList<string> entryIds, ExportRunTrigger trigger, string? runId, DateTimeOffset? scheduledTime, string? requestedBy, bool queued = false)
    {
        var now = timeProvider.GetUtcNow();
        return new ExportRunRecord
        {
            RunId = runId ?? RunIds.New(timeProvider),
            DataflowId = flowId,
            Kind = kind,
            Status = queued ? ExportRunStatus.Queued : ExportRunStatus.Running,
            Trigger = trigger,
            AudienceIds = entryIds,
            ScheduledTime = scheduledTime ?? now,
            CreatedAt = now,
            StartedAt = queued ? null : now,
            RequestedBy = requestedBy,
            Destination = destination,
        };
    }

    /// <summary>Claims the record's entries in the store, plans and runs, and saves the outcome whatever it is.</summary>
    /// <exception cref="ExportRunInProgressException">An entry is already being exported.</exception>
    internal async Task<(ExportRunRecord Record, ExportRunResult Result)> RunRecordedAsync(
        ExportRunRecord record, Func<CancellationToken, Task<ExportPlan>> plan, IProgress<ExportProgress>? progress, CancellationToken cancellationToken)
    {
        var run = await ClaimAsync(record, cancellationToken).ConfigureAwait(false);
        run.AddListener(progress);
        var (ended, result) = await ExecuteAsync(run, plan, null, cancellationToken).ConfigureAwait(false);
        return (ended, result!);
    }

    /// <summary>Claims the record in the store and starts its heartbeat.</summary>
    /// <exception cref="ExportRunInProgressException">An entry is already being exported.</exception>
    internal async Task<ActiveRun> ClaimAsync(ExportRunRecord record, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (record.Status != ExportRunStatus.Queued)
        {
            // What earlier runs of this export left (a server that was away, a host that died) goes first. A queued run
            // does this when it executes, so that starting it (an HTTP request) never waits on a destination.
            await CleanLeftoversAsync(record.DataflowId, cancellationToken).ConfigureAwait(false);
        }

        // A retry of a slot reuses its run id, so its record replaces the failed attempt's: what that attempt left at the
        // same destination, and the clean-up above could not remove yet, stays on record with the retry.
        if (await store.GetRunAsync(record.DataflowId, record.RunId, cancellationToken).ConfigureAwait(false) is { IsActive: false } earlier
            && (earlier.LeftoverFiles.Count > 0 || earlier.LeftoverWrites.Count > 0)
            && string.Equals(earlier.Destination, record.Destination, StringComparison.OrdinalIgnoreCase))
        {
            record = record with { LeftoverFiles = earlier.LeftoverFiles, LeftoverWrites = earlier.LeftoverWrites };
        }

        var claim = await store.TryStartRunAsync(record, cancellationToken).ConfigureAwait(false);
        if (!claim.Started)
        {
            throw new ExportRunInProgressException(record.DataflowId, claim.Conflicts, isDatasetExport: record.Kind == ExportFlowKind.DatasetExport);
        }

        // The store chose the host name the claim is held under; the heartbeat and the final record must carry it.
        var claimed = await store.GetRunAsync(record.DataflowId, record.RunId, cancellationToken).ConfigureAwait(false);
        var run = new ActiveRun(record with { Host = claimed?.Host ?? record.Host });
        active.Add(run);
        run.StartHeartbeat(store, options.Value.Runs.ProgressInterval, timeProvider, _logger);
        return run;
    }

    /// <summary>
    /// Executes a claimed run (after <paramref name="waitTurn"/>, when queued) and records how it ended. Rethrows what
    /// ended it early (cancellation, a planning error); the record is saved first either way.
    /// </summary>
    internal async Task<(ExportRunRecord Record, ExportRunResult? Result)> ExecuteAsync(
        ActiveRun run, Func<CancellationToken, Task<ExportPlan>> plan, Func<CancellationToken, Task>? waitTurn, CancellationToken cancellationToken)
    {
        var record = run.Record;
        ExportRunResult? result = null;
        Exception? failure = null;
        ExportException? unrecorded = null;
        try
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, run.Cancellation);
            if (waitTurn is not null)
            {
                // A queued run's claim answered its caller at once; what earlier runs left goes now, before it writes.
                await CleanLeftoversAsync(record.DataflowId, linked.Token).ConfigureAwait(false);
                await waitTurn(linked.Token).ConfigureAwait(false);
                run.Update(r => r with { Status = ExportRunStatus.Running, StartedAt = timeProvider.GetUtcNow() });
                await SaveRunningAsync(run).ConfigureAwait(false);
            }

            result = await pipeline.RunAsync(await plan(linked.Token).ConfigureAwait(false), run, linked.Token).ConfigureAwait(false);
            record = run.Record.Complete(result);
            // The files the run delivered (or kept on purpose) and its manifest are not left over; what its rollback could
            // not remove is.
            var delivered = result.Entries.SelectMany(e => e.Files).Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
            if (result.ManifestPath is { } manifest)
            {
                delivered.Add(manifest);
            }

            record = record with { LeftoverFiles = [.. record.LeftoverFiles.Where(p => !delivered.Contains(p))] };
        }
        catch (OperationCanceledException ex)
        {
            failure = ex;
            record = run.WithProgress(timeProvider.GetUtcNow()) with
            {
                Status = ExportRunStatus.Cancelled,
                EndedAt = timeProvider.GetUtcNow(),
                Errors = [run.CancelReason ?? "The run was cancelled."],
            };
            throw;
        }
        catch (Exception ex)
        {
            failure = ex;
            record = run.WithProgress(timeProvider.GetUtcNow()) with { Status = ExportRunStatus.Failed, EndedAt = timeProvider.GetUtcNow(), Errors = [ex.Message] };
            throw;
        }
        finally
        {
            await run.StopHeartbeatAsync().ConfigureAwait(false);
            try
            {
                // Recorded even when the caller gave up: the claim must be released. A lost claim's record is not this
                // host's to write.
                var saved = !run.ClaimLost && await SaveOutcomeAsync(record).ConfigureAwait(false);
                if (saved)
                {
                    // The claim is released by now: a newer run of the same entries may have delivered meanwhile, and
                    // then this run's latest/ copy would replace that run's.
                    if (run.HasAfterRecorded && await SupersededEntriesAsync(record).ConfigureAwait(false) is { } superseded)
                    {
                        await run.RecordedAsync(superseded).ConfigureAwait(false);
                    }
                }
                else if (!run.ClaimLost && failure is null && record.Status is ExportRunStatus.Succeeded or ExportRunStatus.PartiallySucceeded)
                {
                    // Not delivered: a scheduled slot keeps its watermark and is exported again. With the store away,
                    // the run stays "running" there until its claim runs out, is then recorded as interrupted, and what
                    // it wrote goes, manifest first; refused (another claim holds the record), what it wrote is that
                    // claim's.
                    unrecorded = new ExportException(
                        $"Run '{record.RunId}' of '{record.DataflowId}': its files were written, but its outcome could not be recorded in the store, so it does not count as delivered (a scheduled slot is exported again).");
                    failure = unrecorded;
                    record = record with { Status = ExportRunStatus.Failed, Errors = [unrecorded.Message] };
                }
            }
            finally
            {
                // Unrecorded or lost, it is not running here any more: a later claim may record it as interrupted.
                ProcessRunClaims.Remove(record);
            }

            active.Remove(run);
            run.SetEnded(record, failure);
        }

        // The other failures were rethrown above.
        return unrecorded is null ? (record, result) : throw unrecorded;
    }

    /// <summary>
    /// The record's entries a later run has delivered since this one started; null when that cannot be read (then no
    /// latest/ copy is written, rather than risk replacing a newer one).
    /// </summary>
    private async Task<IReadOnlySet<string>?> SupersededEntriesAsync(ExportRunRecord record)
    {
        var superseded = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            await foreach (var other in store.ListRunsAsync(record.DataflowId, CancellationToken.None).ConfigureAwait(false))
            {
                if (other.CreatedAt <= record.CreatedAt)
                {
                    // Newest first: the rest started earlier.
                    break;
                }

                if (other.Status == ExportRunStatus.Succeeded)
                {
                    superseded.UnionWith(other.AudienceIds.Intersect(record.AudienceIds, StringComparer.Ordinal));
                }
            }

            return superseded;
        }
        catch (Exception ex)
        {
            ExportsLog.LatestFailed(_logger, ex, record.RunId, "latest/", record.Destination ?? "");
            return null;
        }
    }

    private async Task CleanLeftoversAsync(string flowId, CancellationToken cancellationToken)
    {
        try
        {
            await leftovers.CleanAsync(flowId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            ExportsLog.LeftoverCleanupFailed(_logger, ex);
        }
    }

    /// <summary>Saves how the run ended, retrying a store that fails for a moment; false when it never succeeded.</summary>
    private async Task<bool> SaveOutcomeAsync(ExportRunRecord record) =>
        await StoreRetry.WriteAsync(() => store.SaveRunAsync(record, CancellationToken.None).AsTask(), timeProvider,
            ex => ExportsLog.RunRecordFailed(_logger, ex, record.RunId, record.DataflowId)).ConfigureAwait(false) is null;

    /// <summary>Records at once that a queued run has started, rather than at its first progress save.</summary>
    private async Task SaveRunningAsync(ActiveRun run)
    {
        try
        {
            await run.SaveProgressAsync(store, run.Cancellation).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            ExportsLog.RunProgressSaveFailed(_logger, ex, run.RunId);
        }
    }

    private async Task<(ExportRunRecord Record, ExportRunResult Result)> RunCoreAsync(DataflowDefinition dataflow, RunStart start, IProgress<ExportProgress>? progress, CancellationToken cancellationToken)
    {
        var record = NewRecord(ExportFlowKind.Dataflow, dataflow.Id, dataflow.Destination, start.AudienceIds, start.Trigger, start.RunId, start.ScheduledTime, start.RequestedBy);
        return await RunRecordedAsync(record, Plan(dataflow, start, record), progress, cancellationToken).ConfigureAwait(false);
    }
}
