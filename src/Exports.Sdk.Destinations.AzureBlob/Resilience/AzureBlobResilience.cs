using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Exports.Sdk.Destinations.AzureBlob;

/// <summary>
/// Runs one Blob service request with a per-attempt timeout and retries of transient failures (exponential backoff with jitter,
/// on the injected <see cref="TimeProvider"/>). Each retry is logged. Only single requests are retried — a block, a
/// small blob, a listing page — never a whole file that was already sent.
/// </summary>
internal sealed class AzureBlobResilience
{
    private readonly ResiliencePipeline _pipeline;
    private readonly string _destination;
    private readonly string _container;
    private readonly TimeSpan _timeout;

    public AzureBlobResilience(string destination, AzureBlobDestinationOptions options, TimeProvider timeProvider, ILogger logger)
    {
        _destination = destination;
        _container = options.Container;
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
                    var (operation, key) = args.Context.Properties.GetValue(OperationKey, (AzureBlobOperation.PutBlob, ""));
                    ExportsTelemetry.RecordRetry(AzureBlobDestinationProvider.TypeName, destination);
                    AzureBlobLog.Retrying(logger, destination, operation.Name, key, Reason(args.Outcome.Exception),
                        args.AttemptNumber + 1, options.MaxRetryAttempts, (long)args.RetryDelay.TotalMilliseconds);
                    return default;
                },
            });
        }

        _pipeline = builder.AddTimeout(options.RequestTimeout).Build();
    }

    private static ResiliencePropertyKey<(AzureBlobOperation, string)> OperationKey { get; } = new("exports.azureblob.operation");

    /// <summary>Runs a request; SDK failures become <see cref="DestinationException"/>s.</summary>
    public async ValueTask<T> ExecuteAsync<T>(AzureBlobOperation operation, string key, Func<CancellationToken, Task<T>> request, CancellationToken cancellationToken)
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
                    catch (Exception ex) when (AzureBlobErrorMapper.Map(ex, _destination, _container, operation, key, ctx.CancellationToken) is { } mapped)
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
                $"Destination '{_destination}': {operation.Name} of '{key}' in container '{_container}' timed out after {_timeout.TotalSeconds:0.###} s (setting '{AzureBlobSettings.RequestTimeout}').",
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
