using Microsoft.Extensions.Logging;

namespace Exports.Sdk.Destinations.AmazonS3;

/// <summary>
/// Runs one S3 request (a part, a small object, a listing page) with the destination's timeout and retries; S3 errors
/// become <see cref="DestinationException"/>s and every retry is logged.
/// </summary>
internal sealed class AmazonS3Resilience(string destination, AmazonS3DestinationOptions options, TimeProvider timeProvider, ILogger logger)
    : DestinationRequestPipeline<AmazonS3Operation>(destination, AmazonS3DestinationProvider.TypeName, options.MaxRetryAttempts, options.RetryDelay, options.RequestTimeout, timeProvider)
{
    protected override DestinationException? MapError(Exception exception, AmazonS3Operation operation, string target, CancellationToken cancellationToken) =>
        AmazonS3ErrorMapper.Map(exception, DestinationName, options.Bucket, operation, target, cancellationToken);

    protected override string DescribeTimeout(AmazonS3Operation operation, string target) =>
        $"Destination '{DestinationName}': {operation.Name} of '{target}' in bucket '{options.Bucket}' timed out after {Timeout.TotalSeconds:0.###} s (setting 'requestTimeout').";

    protected override void OnRetry(AmazonS3Operation operation, string target, string reason, int attempt, int maxAttempts, TimeSpan delay) =>
        AmazonS3Log.Retrying(logger, DestinationName, operation.Name, target, reason, attempt, maxAttempts, (long)delay.TotalMilliseconds);
}
