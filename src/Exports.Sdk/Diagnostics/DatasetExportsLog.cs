using Microsoft.Extensions.Logging;

namespace Exports.Sdk;

/// <summary>Log events of dataset exports: once per run, file or failure (never per row).</summary>
internal static partial class DatasetExportsLog
{
    [LoggerMessage(EventId = 1100, EventName = "DatasetRunStarted", Level = LogLevel.Information,
        Message = "Run {RunId} of dataset export {ExportId} started: dataset {DatasetId} to destination {Destination}, since {Since}")]
    public static partial void RunStarted(ILogger logger, string runId, string exportId, string datasetId, string destination, string since);

    [LoggerMessage(EventId = 1101, EventName = "DatasetFileCommitted", Level = LogLevel.Information,
        Message = "Run {RunId}: committed {Path} ({Rows} rows, {Bytes} bytes) for dataset {DatasetId} on {Destination}")]
    public static partial void FileCommitted(ILogger logger, string runId, string path, long rows, long bytes, string datasetId, string destination);

    [LoggerMessage(EventId = 1102, EventName = "DatasetRunFailed", Level = LogLevel.Error,
        Message = "Run {RunId} of dataset export {ExportId} failed for dataset {DatasetId}; its files were removed and the watermark stays at {Since}")]
    public static partial void RunFailed(ILogger logger, Exception exception, string runId, string exportId, string datasetId, string since);

    [LoggerMessage(EventId = 1103, EventName = "DatasetRollbackFailed", Level = LogLevel.Warning,
        Message = "Run {RunId}: could not remove a file of dataset {DatasetId} from {Destination}")]
    public static partial void RollbackFailed(ILogger logger, Exception exception, string runId, string datasetId, string destination);

    [LoggerMessage(EventId = 1104, EventName = "DatasetRunFinished", Level = LogLevel.Information,
        Message = "Run {RunId} of dataset export {ExportId} finished: {Rows} rows, {Files} file(s), {Bytes} bytes in {DurationMs} ms; watermark {Watermark}")]
    public static partial void RunFinished(ILogger logger, string runId, string exportId, long rows, int files, long bytes, long durationMs, string watermark);

    [LoggerMessage(EventId = 1105, EventName = "DatasetRunCancelled", Level = LogLevel.Warning,
        Message = "Run {RunId} of dataset export {ExportId} was cancelled; its files were removed")]
    public static partial void RunCancelled(ILogger logger, string runId, string exportId);
}
