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
        var now = timeProvider.GetUtcNow();
        var record = new ExportRunRecord
        {
            RunId = start.RunId ?? RunIds.New(timeProvider),
            DataflowId = dataflow.Id,
            Status = ExportRunStatus.Running,
            Trigger = start.Trigger,
            AudienceIds = start.AudienceIds,
            ScheduledTime = start.ScheduledTime ?? now,
            CreatedAt = now,
            StartedAt = now,
            RequestedBy = start.RequestedBy,
        };

        var claim = await store.TryStartRunAsync(record, cancellationToken).ConfigureAwait(false);
        if (!claim.Started)
        {
            throw new ExportRunInProgressException(dataflow.Id, claim.Conflicts);
        }

        try
        {
            var plan = await planner.PlanAsync(dataflow, new ExportRunRequest
            {
                AudienceIds = start.AudienceIds,
                RunId = record.RunId,
                ScheduledTime = record.ScheduledTime,
                ChangedSince = start.ChangedSince,
            }, cancellationToken).ConfigureAwait(false);
            var result = await pipeline.RunAsync(plan, progress, cancellationToken).ConfigureAwait(false);
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
                ExportsLog.RunRecordFailed(_logger, ex, record.RunId, dataflow.Id);
            }
        }
    }
}
