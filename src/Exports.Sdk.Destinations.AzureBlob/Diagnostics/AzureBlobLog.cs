using Microsoft.Extensions.Logging;

namespace Exports.Sdk.Destinations.AzureBlob;

/// <summary>Log events of the Azure Blob destination. They carry names and error codes, never keys, SAS tokens or URLs with a query.</summary>
internal static partial class AzureBlobLog
{
    [LoggerMessage(EventId = 2100, EventName = "AzureBlobRetry", Level = LogLevel.Warning,
        Message = "Destination {Destination}: {Operation} of {Blob} failed ({Reason}); retry {Attempt} of {MaxAttempts} in {DelayMs} ms")]
    public static partial void Retrying(ILogger logger, string destination, string operation, string blob, string reason, int attempt, int maxAttempts, long delayMs);

    [LoggerMessage(EventId = 2101, EventName = "AzureBlobBlockStaged", Level = LogLevel.Trace,
        Message = "Destination {Destination}: block {BlockNumber} of {Blob} staged ({Bytes} bytes)")]
    public static partial void BlockStaged(ILogger logger, string destination, int blockNumber, string blob, int bytes);

    [LoggerMessage(EventId = 2102, EventName = "AzureBlobCommitted", Level = LogLevel.Debug,
        Message = "Destination {Destination}: {Blob} committed ({Bytes} bytes, {Blocks} block(s))")]
    public static partial void Committed(ILogger logger, string destination, string blob, long bytes, int blocks);

    [LoggerMessage(EventId = 2103, EventName = "AzureBlobAbandoned", Level = LogLevel.Information,
        Message = "Destination {Destination}: upload of {Blob} abandoned; its {Blocks} staged block(s) stay invisible and are discarded by the service")]
    public static partial void Abandoned(ILogger logger, string destination, string blob, int blocks);
}
