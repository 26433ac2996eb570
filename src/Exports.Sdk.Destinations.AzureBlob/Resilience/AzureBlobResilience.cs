using Microsoft.Extensions.Logging;

namespace Exports.Sdk.Destinations.AzureBlob;

/// <summary>
/// Runs one Blob service request (a block, a small blob, a listing page) with the destination's timeout and retries;
/// Azure errors become <see cref="DestinationException"/>s and every retry is logged.
/// </summary>
internal sealed class AzureBlobResilience(string destination, AzureBlobDestinationOptions options, TimeProvider timeProvider, ILogger logger)
    : DestinationRequestPipeline<AzureBlobOperation>(destination, AzureBlobDestinationProvider.TypeName, options.MaxRetryAttempts, options.RetryDelay, options.RequestTimeout, timeProvider)
{
    protected override DestinationException? MapError(Exception exception, AzureBlobOperation operation, string target, CancellationToken cancellationToken) =>
        AzureBlobErrorMapper.Map(exception, DestinationName, options.Container, operation, target, cancellationToken);

    protected override string DescribeTimeout(AzureBlobOperation operation, string target) =>
        $"Destination '{DestinationName}': {operation.Name} of '{target}' in container '{options.Container}' timed out after {Timeout.TotalSeconds:0.###} s (setting 'requestTimeout').";

    protected override void OnRetry(AzureBlobOperation operation, string target, string reason, int attempt, int maxAttempts, TimeSpan delay) =>
        AzureBlobLog.Retrying(logger, DestinationName, operation.Name, target, reason, attempt, maxAttempts, (long)delay.TotalMilliseconds);
}
