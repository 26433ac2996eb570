using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Exports.Sdk;

/// <summary>
/// The one run path: claim the audiences in the store (refusing when one is already being exported), run the engine,
/// and record the outcome. Code (<see cref="IExportRunner"/>), the management API and the schedulers all start runs
/// here, so every run is in the same history. Checks no permissions.
/// </summary>
internal sealed class ExportRunner(IExportStore store, AudiencePlanner planner, ExportPipeline pipeline, TimeProvider timeProvider, ILogger<ExportRunner>? logger = null) : IExportRunner
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

    /// <summary>Runs and returns the stored record (the management API's and schedulers' entry).</summary>
    public async Task<ExportRunRecord> RunAsync(DataflowDefinition dataflow, RunStart start, IProgress<ExportProgress>? progress, CancellationToken cancellationToken)
    {
        var (record, _) = await RunCoreAsync(dataflow, start, progress, cancellationToken).ConfigureAwait(false);
        return record;
    }

    private async Task<(ExportRunRecord Record, ExportRunResult Result)> RunCoreAsync(DataflowDefinition dataflow, RunStart start, IProgress<ExportProgress>? progress, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var record = NewRecord(ExportFlowKind.Dataflow, dataflow.Id, start.AudienceIds, start.Trigger, start.RunId, start.ScheduledTime, start.RequestedBy);
        return await RunRecordedAsync(record, ct => planner.PlanAsync(dataflow, new ExportRunRequest
        {
            AudienceIds = start.AudienceIds,
            RunId = record.RunId,
            ScheduledTime = record.ScheduledTime,
            ChangedSince = start.ChangedSince,
        }, ct), progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A run's record as it starts: one run-id generator for every kind of run.</summary>
    internal ExportRunRecord NewRecord(ExportFlowKind kind, string flowId, IReadOnlyList<string> entryIds, ExportRunTrigger trigger, string? runId, DateTimeOffset? scheduledTime, string? requestedBy)
    {
        var now = timeProvider.GetUtcNow();
        return new ExportRunRecord
        {
            RunId = runId ?? RunIds.New(timeProvider),
            DataflowId = flowId,
            Kind = kind,
            Status = ExportRunStatus.Running,
            Trigger = trigger,
            AudienceIds = entryIds,
            ScheduledTime = scheduledTime ?? now,
            CreatedAt = now,
            StartedAt = now,
            RequestedBy = requestedBy,
        };
    }

    /// <summary>Claims the record's entries in the store, plans and runs, and saves the outcome whatever it is.</summary>
    /// <exception cref="ExportRunInProgressException">An entry is already being exported.</exception>
    internal async Task<(ExportRunRecord Record, ExportRunResult Result)> RunRecordedAsync(
        ExportRunRecord record, Func<CancellationToken, Task<ExportPlan>> plan, IProgress<ExportProgress>? progress, CancellationToken cancellationToken)
    {
        var claim = await store.TryStartRunAsync(record, cancellationToken).ConfigureAwait(false);
        if (!claim.Started)
        {
            throw new ExportRunInProgressException(record.DataflowId, claim.Conflicts);
        }

        try
        {
            var result = await pipeline.RunAsync(await plan(cancellationToken).ConfigureAwait(false), progress, cancellationToken).ConfigureAwait(false);
            record = record.Complete(result);
            return (record, result);
        }
        catch (OperationCanceledException)
        {
            record = record with { Status = ExportRunStatus.Cancelled, EndedAt = timeProvider.GetUtcNow(), Errors = ["The run was cancelled."] };
            throw;
        }
        catch (Exception ex)
        {
            record = record with { Status = ExportRunStatus.Failed, EndedAt = timeProvider.GetUtcNow(), Errors = [ex.Message] };
            throw;
        }
        finally
        {
            try
            {
                // Recorded even when the caller gave up: the claim must be released.
                await store.SaveRunAsync(record, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                ExportsLog.RunRecordFailed(_logger, ex, record.RunId, record.DataflowId);
            }
        }
    }
}
