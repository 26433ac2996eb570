using Microsoft.Extensions.Logging;

namespace Exports.Sdk.Destinations.AmazonS3;

/// <summary>Log events of the Amazon S3 destination. They carry names, keys and error codes, never credentials.</summary>
internal static partial class AmazonS3Log
{
    [LoggerMessage(EventId = 2000, EventName = "S3Retry", Level = LogLevel.Warning,
        Message = "Destination {Destination}: {Operation} of {Key} failed ({Reason}); retry {Attempt} of {MaxAttempts} in {DelayMs} ms")]
    public static partial void Retrying(ILogger logger, string destination, string operation, string key, string reason, int attempt, int maxAttempts, long delayMs);

    [LoggerMessage(EventId = 2001, EventName = "S3MultipartStarted", Level = LogLevel.Debug,
        Message = "Destination {Destination}: multipart upload {UploadId} started for {Key}")]
    public static partial void MultipartStarted(ILogger logger, string destination, string uploadId, string key);

    [LoggerMessage(EventId = 2002, EventName = "S3PartUploaded", Level = LogLevel.Trace,
        Message = "Destination {Destination}: part {PartNumber} of {Key} uploaded ({Bytes} bytes)")]
    public static partial void PartUploaded(ILogger logger, string destination, int partNumber, string key, int bytes);

    [LoggerMessage(EventId = 2003, EventName = "S3Committed", Level = LogLevel.Debug,
        Message = "Destination {Destination}: {Key} committed ({Bytes} bytes, {Parts} part(s))")]
    public static partial void Committed(ILogger logger, string destination, string key, long bytes, int parts);

    [LoggerMessage(EventId = 2004, EventName = "S3Aborted", Level = LogLevel.Information,
        Message = "Destination {Destination}: upload of {Key} aborted (multipart upload {UploadId})")]
    public static partial void Aborted(ILogger logger, string destination, string key, string uploadId);

    [LoggerMessage(EventId = 2005, EventName = "S3AbortFailed", Level = LogLevel.Warning,
        Message = "Destination {Destination}: could not abort multipart upload {UploadId} of {Key}; a bucket lifecycle rule (AbortIncompleteMultipartUpload) removes such parts")]
    public static partial void AbortFailed(ILogger logger, Exception exception, string destination, string uploadId, string key);
}
