using Microsoft.Extensions.Logging;

namespace Exports.Sdk;

/// <summary>Log events of the export engine: structured, allocation-free, once per run, file or failure (never per row).</summary>
internal static partial class ExportsLog
{
    [LoggerMessage(EventId = 1000, EventName = "RunStarted", Level = LogLevel.Information,
        Message = "Run {RunId} of {FlowKind} {DataflowId} started: {EntryCount} audience(s) or dataset(s) to destination {Destination}")]
    public static partial void RunStarted(ILogger logger, string runId, string flowKind, string dataflowId, int entryCount, string destination);

    [LoggerMessage(EventId = 1001, EventName = "FileCommitted", Level = LogLevel.Information,
        Message = "Run {RunId}: committed {Path} ({Rows} rows, {Bytes} bytes) for {SourceId} on {Destination}")]
    public static partial void FileCommitted(ILogger logger, string runId, string path, long rows, long bytes, string sourceId, string destination);

    [LoggerMessage(EventId = 1002, EventName = "EntryFailed", Level = LogLevel.Error,
        Message = "Run {RunId}: {ExportName} failed; its files were removed")]
    public static partial void EntryFailed(ILogger logger, Exception exception, string runId, string exportName);

    [LoggerMessage(EventId = 1003, EventName = "RollbackFailed", Level = LogLevel.Warning,
        Message = "Run {RunId}: could not remove a file of {SourceId} from {Destination}")]
    public static partial void RollbackFailed(ILogger logger, Exception exception, string runId, string sourceId, string destination);

    [LoggerMessage(EventId = 1017, EventName = "PublishFailed", Level = LogLevel.Error,
        Message = "Run {RunId}: the staged files of {SourceId} could not be published under their fixed names at {Destination}")]
    public static partial void PublishFailed(ILogger logger, Exception exception, string runId, string sourceId, string destination);

    [LoggerMessage(EventId = 1018, EventName = "LatestFailed", Level = LogLevel.Warning,
        Message = "Run {RunId}: the latest copy of the manifest, {Path}, could not be written to {Destination}; it still names the previous run")]
    public static partial void LatestFailed(ILogger logger, Exception exception, string runId, string path, string destination);

    [LoggerMessage(EventId = 1019, EventName = "StalePartsLeft", Level = LogLevel.Warning,
        Message = "Run {RunId}: the new files of {SourceId} are published at {Destination}, but parts of an earlier run beyond the new last part could not be removed")]
    public static partial void StalePartsLeft(ILogger logger, Exception exception, string runId, string sourceId, string destination);

    [LoggerMessage(EventId = 1004, EventName = "ManifestWritten", Level = LogLevel.Information,
        Message = "Run {RunId}: manifest {Path} lists {FileCount} file(s)")]
    public static partial void ManifestWritten(ILogger logger, string runId, string path, int fileCount);

    [LoggerMessage(EventId = 1005, EventName = "ManifestFailed", Level = LogLevel.Error,
        Message = "Run {RunId}: the manifest {Path} could not be written")]
    public static partial void ManifestFailed(ILogger logger, Exception exception, string runId, string path);

    [LoggerMessage(EventId = 1006, EventName = "RunFinished", Level = LogLevel.Information,
        Message = "Run {RunId} of {FlowKind} {DataflowId} finished {Status}: {Rows} rows, {Files} file(s), {Bytes} bytes in {DurationMs} ms")]
    public static partial void RunFinished(ILogger logger, string runId, string flowKind, string dataflowId, ExportRunStatus status, long rows, int files, long bytes, long durationMs);

    [LoggerMessage(EventId = 1007, EventName = "RunCancelled", Level = LogLevel.Warning,
        Message = "Run {RunId} of {FlowKind} {DataflowId} was cancelled; its files were removed")]
    public static partial void RunCancelled(ILogger logger, string runId, string flowKind, string dataflowId);

    [LoggerMessage(EventId = 1008, EventName = "RunRecordFailed", Level = LogLevel.Error,
        Message = "Run {RunId} of dataflow {DataflowId}: the run record could not be saved")]
    public static partial void RunRecordFailed(ILogger logger, Exception exception, string runId, string dataflowId);

    [LoggerMessage(EventId = 1009, EventName = "RunProgressSaveFailed", Level = LogLevel.Warning,
        Message = "Run {RunId}: saving its progress failed; retrying at the next interval")]
    public static partial void RunProgressSaveFailed(ILogger logger, Exception exception, string runId);

    [LoggerMessage(EventId = 1020, EventName = "FileEntrySaveFailed", Level = LogLevel.Warning,
        Message = "Run {RunId}: its record of '{Path}' could not be saved in the store; the file is committed only once it is")]
    public static partial void FileEntrySaveFailed(ILogger logger, Exception exception, string runId, string path);

    [LoggerMessage(EventId = 1010, EventName = "RunStartFailed", Level = LogLevel.Error,
        Message = "Run {RunId}: the queued run failed outside the export itself")]
    public static partial void RunStartFailed(ILogger logger, Exception exception, string runId);

    [LoggerMessage(EventId = 1011, EventName = "AbandonedRunsFailed", Level = LogLevel.Warning,
        Message = "Recorded {Count} run(s) as failed whose host stopped before they ended: {RunIds}")]
    public static partial void AbandonedRunsFailed(ILogger logger, int count, string runIds);

    [LoggerMessage(EventId = 1012, EventName = "AbandonedRunsCheckFailed", Level = LogLevel.Error,
        Message = "Checking the store for runs left by a stopped host failed")]
    public static partial void AbandonedRunsCheckFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1013, EventName = "AbandonedWritesRemoved", Level = LogLevel.Information,
        Message = "Removed {Count} temporary file(s) a stopped host left at destination {Destination}")]
    public static partial void AbandonedWritesRemoved(ILogger logger, int count, string destination);

    [LoggerMessage(EventId = 1014, EventName = "LeftoverFilesRemoved", Level = LogLevel.Information,
        Message = "Removed {Count} file(s) that run {RunId} of {FlowId} left at destination '{Destination}' when it failed or its host died")]
    public static partial void LeftoverFilesRemoved(ILogger logger, int count, string runId, string flowId, string destination);

    [LoggerMessage(EventId = 1016, EventName = "LeftoverCleanupFailed", Level = LogLevel.Warning,
        Message = "Looking for files that earlier runs left at their destinations failed; the next run or host start tries again")]
    public static partial void LeftoverCleanupFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1015, EventName = "LeftoverFileRemovalFailed", Level = LogLevel.Warning,
        Message = "Could not remove '{Path}', left at destination '{Destination}' by run {RunId}; the next attempt tries again")]
    public static partial void LeftoverFileRemovalFailed(ILogger logger, Exception exception, string path, string destination, string runId);

    [LoggerMessage(EventId = 1200, EventName = "SlotDue", Level = LogLevel.Debug,
        Message = "Dataflow {DataflowId}, audience {AudienceId}: occurrence {Slot:o} is due")]
    public static partial void SlotDue(ILogger logger, string dataflowId, string audienceId, DateTimeOffset slot);

    [LoggerMessage(EventId = 1201, EventName = "SlotWaitingForRefresh", Level = LogLevel.Information,
        Message = "Dataflow {DataflowId}, audience {AudienceId}: occurrence {Slot:o} waits for the source to finish refreshing the audience")]
    public static partial void SlotWaitingForRefresh(ILogger logger, string dataflowId, string audienceId, DateTimeOffset slot);

    [LoggerMessage(EventId = 1202, EventName = "SlotWaitingForEvaluation", Level = LogLevel.Information,
        Message = "Dataflow {DataflowId}, audience {AudienceId}: occurrence {Slot:o} waits for the audience's evaluation to finish")]
    public static partial void SlotWaitingForEvaluation(ILogger logger, string dataflowId, string audienceId, DateTimeOffset slot);

    [LoggerMessage(EventId = 1203, EventName = "SlotStarted", Level = LogLevel.Information,
        Message = "Dataflow {DataflowId}, audience {AudienceId}: run {RunId} for occurrence {Slot:o} started ({Kind}, {Mode})")]
    public static partial void SlotStarted(ILogger logger, string dataflowId, string audienceId, string runId, DateTimeOffset slot, string kind, string mode);

    [LoggerMessage(EventId = 1204, EventName = "SlotSkippedPreviousRunning", Level = LogLevel.Warning,
        Message = "Dataflow {DataflowId}, audience {AudienceId}: occurrence {Slot:o} skipped because the previous run is still going")]
    public static partial void SlotSkippedPreviousRunning(ILogger logger, string dataflowId, string audienceId, DateTimeOffset slot);

    [LoggerMessage(EventId = 1205, EventName = "SlotSkippedMissed", Level = LogLevel.Warning,
        Message = "Dataflow {DataflowId}, audience {AudienceId}: occurrence {Slot:o} was missed and is skipped (MissedRuns = Skip)")]
    public static partial void SlotSkippedMissed(ILogger logger, string dataflowId, string audienceId, DateTimeOffset slot);

    [LoggerMessage(EventId = 1206, EventName = "SlotFinished", Level = LogLevel.Information,
        Message = "Dataflow {DataflowId}, audience {AudienceId}: run {RunId} for occurrence {Slot:o} finished {Status}")]
    public static partial void SlotFinished(ILogger logger, string dataflowId, string audienceId, string runId, DateTimeOffset slot, ExportRunStatus status);

    [LoggerMessage(EventId = 1207, EventName = "SlotFailed", Level = LogLevel.Error,
        Message = "Dataflow {DataflowId}, audience {AudienceId}: run {RunId} for occurrence {Slot:o} failed; it is retried from the same watermark")]
    public static partial void SlotFailed(ILogger logger, Exception exception, string dataflowId, string audienceId, string runId, DateTimeOffset slot);

    [LoggerMessage(EventId = 1208, EventName = "SchedulerTickFailed", Level = LogLevel.Error,
        Message = "The scheduler could not read the schedules; it tries again shortly")]
    public static partial void SchedulerTickFailed(ILogger logger, Exception exception);
}
