using Microsoft.Extensions.Logging;

namespace Exports.Sdk;

/// <summary>
/// Starts runs the way every entry point must: claim the audiences in the store (refusing when one is already being
/// exported), run, and record the outcome. Used by the management API and the scheduler; checks no permissions.
/// </summary>
internal sealed class RunCoordinator(IExportStore store, IExportRunner runner, TimeProvider timeProvider, ILogger<RunCoordinator> logger)
{
    public async Task<ExportRunRecord> RunAsync(DataflowDefinition dataflow, RunStart start, IProgress<ExportProgress>? progress, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var runId = start.RunId ?? Guid.CreateVersion7(now).ToString("N");
        var record = new ExportRunRecord
        {
            RunId = runId,
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
            var result = await runner.RunAsync(dataflow, new ExportRunRequest
            {
                AudienceIds = start.AudienceIds,
                RunId = runId,
                ScheduledTime = record.ScheduledTime,
                ChangedSince = start.ChangedSince,
            }, progress, cancellationToken).ConfigureAwait(false);
            record = record.Complete(result);
            return record;
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
                ExportsLog.RunRecordFailed(logger, ex, record.RunId, dataflow.Id);
            }
        }
    }
}
