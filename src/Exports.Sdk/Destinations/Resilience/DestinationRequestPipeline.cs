using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Exports.Sdk;

/// <summary>
/// Runs single requests of a destination — an upload part, a rename, a listing page — with a per-attempt timeout and
/// retries of transient failures (exponential backoff with jitter, on the injected <see cref="TimeProvider"/>). Each
/// retry is reported to <see cref="OnRetry"/> and counted in the <c>exports.retries</c> metric. Derive one per
/// destination provider; never use it to send a whole, already committed file again.
/// </summary>
/// <typeparam name="TOperation">How the provider names its requests (e.g. an enum-like type or a string).</typeparam>
public abstract class DestinationRequestPipeline<TOperation>
    where TOperation : notnull
{
    private static readonly ResiliencePropertyKey<(TOperation Operation, string Target)> RequestKey = new("exports.destination.request");
    private readonly ResiliencePipeline _pipeline;

    /// <summary>Builds the pipeline.</summary>
    /// <param name="destinationName">The destination, for messages and metrics.</param>
    /// <param name="destinationType">The provider type, for metrics.</param>
    /// <param name="maxRetryAttempts">Retries after the first attempt; 0 disables retries.</param>
    /// <param name="retryDelay">The first backoff delay (it grows exponentially, with jitter).</param>
    /// <param name="timeout">The timeout of each attempt.</param>
    /// <param name="timeProvider">The clock for delays and timeouts.</param>
    protected DestinationRequestPipeline(string destinationName, string destinationType, int maxRetryAttempts, TimeSpan retryDelay, TimeSpan timeout, TimeProvider timeProvider)
    {
        ArgumentException.ThrowIfNullOrEmpty(destinationName);
        ArgumentException.ThrowIfNullOrEmpty(destinationType);
        ArgumentNullException.ThrowIfNull(timeProvider);
        DestinationName = destinationName;
        Timeout = timeout;
        var builder = new ResiliencePipelineBuilder { TimeProvider = timeProvider };
        if (maxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder()
                    .Handle<DestinationException>(e => e.IsTransient)
                    .Handle<TimeoutRejectedException>(),
                MaxRetryAttempts = maxRetryAttempts,
                Delay = retryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                OnRetry = args =>
                {
                    if (args.Context.Properties.TryGetValue(RequestKey, out var request))
                    {
                        ExportsTelemetry.RecordRetry(destinationType, destinationName);
                        OnRetry(request.Operation, request.Target, Reason(args.Outcome.Exception), args.AttemptNumber + 1, maxRetryAttempts, args.RetryDelay);
                    }

                    return default;
                },
            });
        }

        _pipeline = builder.AddTimeout(timeout).Build();
    }

    /// <summary>The destination name.</summary>
    protected string DestinationName { get; }

    /// <summary>The timeout of each attempt.</summary>
    protected TimeSpan Timeout { get; }

    /// <summary>Runs one request; failures the provider maps become <see cref="DestinationException"/>s.</summary>
    /// <typeparam name="T">The request's result.</typeparam>
    /// <param name="operation">What the request does.</param>
    /// <param name="target">What it acts on (a key, a path).</param>
    /// <param name="request">The request; it must honour the token it is given (the attempt's timeout).</param>
    /// <param name="cancellationToken">Cancels the request and its retries.</param>
    /// <returns>The request's result.</returns>
    /// <exception cref="DestinationException">The request failed for good, or every attempt timed out.</exception>
    public async ValueTask<T> ExecuteAsync<T>(TOperation operation, string target, Func<CancellationToken, Task<T>> request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(RequestKey, (operation, target));
        try
        {
            return await _pipeline.ExecuteAsync(
                async (ctx, state) =>
                {
                    try
                    {
                        return await state(ctx.CancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (MapError(ex, operation, target, ctx.CancellationToken) is { } mapped)
                    {
                        throw mapped;
                    }
                },
                context,
                request).ConfigureAwait(false);
        }
        catch (TimeoutRejectedException ex)
        {
            throw new DestinationException(DescribeTimeout(operation, target), isTransient: true, ex);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>
    /// Turns a storage SDK's exception into a <see cref="DestinationException"/> (with <see cref="DestinationException.IsTransient"/>
    /// set when a retry may help), or returns null to let it through unchanged (e.g. <see cref="OperationCanceledException"/>).
    /// The message names the destination and the problem, never a secret.
    /// </summary>
    /// <param name="exception">What the request threw.</param>
    /// <param name="operation">What the request did.</param>
    /// <param name="target">What it acted on.</param>
    /// <param name="cancellationToken">The attempt's token, to tell a timeout from a cancellation.</param>
    /// <returns>The exception to throw, or null.</returns>
    protected abstract DestinationException? MapError(Exception exception, TOperation operation, string target, CancellationToken cancellationToken);

    /// <summary>The message of the error thrown when every attempt of a request timed out.</summary>
    /// <param name="operation">What the request did.</param>
    /// <param name="target">What it acted on.</param>
    /// <returns>The message, naming the destination, the request and the timeout setting.</returns>
    protected abstract string DescribeTimeout(TOperation operation, string target);

    /// <summary>Called before each retry, e.g. to log it.</summary>
    /// <param name="operation">What the request does.</param>
    /// <param name="target">What it acts on.</param>
    /// <param name="reason">Why the attempt failed.</param>
    /// <param name="attempt">The number of the retry, from 1.</param>
    /// <param name="maxAttempts">How many retries are allowed.</param>
    /// <param name="delay">The wait before it.</param>
    protected virtual void OnRetry(TOperation operation, string target, string reason, int attempt, int maxAttempts, TimeSpan delay)
    {
    }

    private static string Reason(Exception? exception) => exception switch
    {
        TimeoutRejectedException => "the attempt timed out",
        null => "unknown",
        _ => exception.Message,
    };
}
