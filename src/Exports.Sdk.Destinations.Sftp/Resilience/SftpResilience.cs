using Microsoft.Extensions.Logging;

namespace Exports.Sdk.Destinations.Sftp;

/// <summary>
/// Runs one SFTP request (a connection, a rename, a listing, a deletion) with the destination's timeout and retries;
/// SSH.NET errors become <see cref="DestinationException"/>s and every retry is logged.
/// </summary>
internal sealed class SftpResilience(string destination, SftpDestinationOptions options, TimeProvider timeProvider, ILogger logger)
    : DestinationRequestPipeline<string>(destination, SftpDestinationProvider.TypeName, options.MaxRetryAttempts, options.RetryDelay, AttemptTimeout(options), timeProvider)
{
    protected override DestinationException? MapError(Exception exception, string operation, string target, CancellationToken cancellationToken) =>
        SftpErrorMapper.Map(exception, options, DestinationName, operation, target, cancellationToken);

    protected override string DescribeTimeout(string operation, string target) =>
        $"Destination '{DestinationName}': {operation} of '{target}' on {options.Host}:{options.Port} timed out after {Timeout.TotalSeconds:0.###} s (settings 'connectTimeout', 'operationTimeout').";

    protected override void OnRetry(string operation, string target, string reason, int attempt, int maxAttempts, TimeSpan delay) =>
        SftpLog.Retrying(logger, DestinationName, operation, target, reason, attempt, maxAttempts, (long)delay.TotalMilliseconds);

    /// <summary>Connecting waits for the TCP connect, key exchange and authentication; other requests for one round trip.</summary>
    private static TimeSpan AttemptTimeout(SftpDestinationOptions options) =>
        options.ConnectTimeout > options.OperationTimeout ? options.ConnectTimeout : options.OperationTimeout;
}
