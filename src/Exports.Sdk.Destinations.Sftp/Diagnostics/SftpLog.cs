using Microsoft.Extensions.Logging;

namespace Exports.Sdk.Destinations.Sftp;

/// <summary>Log events of the SFTP destination. They carry host, user, paths and fingerprints, never passwords or keys.</summary>
internal static partial class SftpLog
{
    [LoggerMessage(EventId = 2200, EventName = "SftpRetry", Level = LogLevel.Warning,
        Message = "Destination {Destination}: {Operation} of {Path} failed ({Reason}); retry {Attempt} of {MaxAttempts} in {DelayMs} ms")]
    public static partial void Retrying(ILogger logger, string destination, string operation, string path, string reason, int attempt, int maxAttempts, long delayMs);

    [LoggerMessage(EventId = 2201, EventName = "SftpConnected", Level = LogLevel.Debug,
        Message = "Destination {Destination}: connected to {Host}:{Port} as {Username} (host key {HostKeyName} {Fingerprint}, cipher {Cipher})")]
    public static partial void Connected(ILogger logger, string destination, string host, int port, string username, string hostKeyName, string fingerprint, string cipher);

    [LoggerMessage(EventId = 2202, EventName = "SftpUnknownHostKeyAccepted", Level = LogLevel.Warning,
        Message = "Destination {Destination}: accepted the unpinned host key {HostKeyName} {Fingerprint} of {Host}:{Port} because allowUnknownHostKey is true; pin it in hostKeyFingerprints")]
    public static partial void UnknownHostKeyAccepted(ILogger logger, string destination, string hostKeyName, string fingerprint, string host, int port);

    [LoggerMessage(EventId = 2203, EventName = "SftpHostKeyRejected", Level = LogLevel.Error,
        Message = "Destination {Destination}: refused host key {HostKeyName} {Fingerprint} of {Host}:{Port}: it matches none of the pinned fingerprints")]
    public static partial void HostKeyRejected(ILogger logger, string destination, string hostKeyName, string fingerprint, string host, int port);

    [LoggerMessage(EventId = 2204, EventName = "SftpCommitted", Level = LogLevel.Debug,
        Message = "Destination {Destination}: {Path} committed ({Bytes} bytes) by renaming {TempPath}")]
    public static partial void Committed(ILogger logger, string destination, string path, long bytes, string tempPath);

    [LoggerMessage(EventId = 2205, EventName = "SftpAborted", Level = LogLevel.Information,
        Message = "Destination {Destination}: upload of {Path} aborted; temp file {TempPath} deleted")]
    public static partial void Aborted(ILogger logger, string destination, string path, string tempPath);

    [LoggerMessage(EventId = 2206, EventName = "SftpTempCleanupFailed", Level = LogLevel.Warning,
        Message = "Destination {Destination}: could not delete temp file {TempPath}; the next upload of {Path} removes it")]
    public static partial void TempCleanupFailed(ILogger logger, Exception exception, string destination, string tempPath, string path);

    [LoggerMessage(EventId = 2207, EventName = "SftpStaleTempRemoved", Level = LogLevel.Information,
        Message = "Destination {Destination}: removed {TempPath}, left by an earlier failed upload of {Path}")]
    public static partial void StaleTempRemoved(ILogger logger, string destination, string tempPath, string path);

    [LoggerMessage(EventId = 2208, EventName = "SftpPosixRenameUnsupported", Level = LogLevel.Information,
        Message = "Destination '{Destination}': {Host}:{Port} does not offer posix-rename@openssh.com; files are published with a standard rename, removing an older file of the same name first.")]
    public static partial void PosixRenameUnsupported(ILogger logger, string destination, string host, int port);
}
