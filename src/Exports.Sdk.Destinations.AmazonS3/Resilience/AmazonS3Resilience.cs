using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Exports.Sdk.Destinations.AmazonS3;

/// <summary>
/// Runs one S3 request with a per-attempt timeout and retries of transient failures (exponential backoff with jitter,
/// on the injected <see cref="TimeProvider"/>). Each retry is logged. Only single requests are retried — a part, a
/// small object, a listing page — never a whole file that was already sent.
/// </summary>
internal sealed class AmazonS3Resilience
{
    private readonly ResiliencePipeline _pipeline;
    private readonly string _destination;
    private readonly string _bucket;
    private readonly TimeSpan _timeout;

    public AmazonS3Resilience(string destination, AmazonS3DestinationOptions options, TimeProvider timeProvider, ILogger logger)
    {
        _destination = destination;
        _bucket = options.Bucket;
        _timeout = options.RequestTimeout;
        var builder = new ResiliencePipelineBuilder { TimeProvider = timeProvider };
        if (options.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder()
                    .Handle<DestinationException>(e => e.IsTransient)
                    .Handle<TimeoutRejectedException>(),
                MaxRetryAttempts = options.MaxRetryAttempts,
                Delay = options.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                OnRetry = args =>
                {
                    var (operation, key) = args.Context.Properties.GetValue(OperationKey, (AmazonS3Operation.PutObject, ""));
                    ExportsTelemetry.RecordRetry(AmazonS3DestinationProvider.TypeName, destination);
                    AmazonS3Log.Retrying(logger, destination, operation.Name, key, Reason(args.Outcome.Exception),
                        args.AttemptNumber + 1, options.MaxRetryAttempts, (long)args.RetryDelay.TotalMilliseconds);
                    return default;
                },
            });
        }

        _pipeline = builder.AddTimeout(options.RequestTimeout).Build();
    }

    private static ResiliencePropertyKey<(AmazonS3Operation, string)> OperationKey { get; } = new("exports.s3.operation");

    /// <summary>Runs a request; SDK failures become <see cref="DestinationException"/>s.</summary>
    public async ValueTask<T> ExecuteAsync<T>(AmazonS3Operation operation, string key, Func<CancellationToken, Task<T>> request, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(OperationKey, (operation, key));
        try
        {
            return await _pipeline.ExecuteAsync(
                async (ctx, state) =>
                {
                    try
                    {
                        return await state(ctx.CancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (AmazonS3ErrorMapper.Map(ex, _destination, _bucket, operation, key, ctx.CancellationToken) is { } mapped)
                    {
                        throw mapped;
                    }
                },
                context,
                request).ConfigureAwait(false);
        }
        catch (TimeoutRejectedException ex)
        {
            throw new DestinationException(
                $"Destination '{_destination}': {operation.Name} of '{key}' in bucket '{_bucket}' timed out after {_timeout.TotalSeconds:0.###} s (setting '{AmazonS3Settings.RequestTimeout}').",
                isTransient: true, ex);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private static string Reason(Exception? exception) => exception switch
    {
        TimeoutRejectedException => "the attempt timed out",
        null => "unknown",
        _ => exception.Message,
    };
}
