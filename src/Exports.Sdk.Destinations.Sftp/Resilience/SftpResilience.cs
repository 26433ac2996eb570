using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Exports.Sdk.Destinations.Sftp;

/// <summary>
/// Runs one SFTP request with a per-attempt timeout and retries of transient failures (exponential backoff with jitter,
/// on the injected <see cref="TimeProvider"/>). Each retry is logged. Only single requests are retried — a connection, a rename, a
/// listing, a deletion — never a whole file that was already sent.
/// </summary>
internal sealed class SftpResilience
{
    private readonly ResiliencePipeline _pipeline;
    private readonly string _destination;
    private readonly SftpDestinationOptions _options;
    private readonly TimeSpan _timeout;

    public SftpResilience(string destination, SftpDestinationOptions options, TimeProvider timeProvider, ILogger logger)
    {
        _destination = destination;
        _options = options;
        // Connecting waits for the TCP connect, key exchange and authentication; other requests for one round trip.
        _timeout = options.ConnectTimeout > options.OperationTimeout ? options.ConnectTimeout : options.OperationTimeout;
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
                    var (operation, key) = args.Context.Properties.GetValue(OperationKey, ("request", ""));
                    ExportsTelemetry.RecordRetry(SftpDestinationProvider.TypeName, destination);
                    SftpLog.Retrying(logger, destination, operation, key, Reason(args.Outcome.Exception),
                        args.AttemptNumber + 1, options.MaxRetryAttempts, (long)args.RetryDelay.TotalMilliseconds);
                    return default;
                },
            });
        }

        _pipeline = builder.AddTimeout(_timeout).Build();
    }

    private static ResiliencePropertyKey<(string, string)> OperationKey { get; } = new("exports.sftp.operation");

    /// <summary>Runs a request; SDK failures become <see cref="DestinationException"/>s.</summary>
    public async ValueTask<T> ExecuteAsync<T>(string operation, string key, Func<CancellationToken, Task<T>> request, CancellationToken cancellationToken)
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
                    catch (Exception ex) when (SftpErrorMapper.Map(ex, _options, _destination, operation, key, ctx.CancellationToken) is { } mapped)
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
                $"Destination '{_destination}': {operation} of '{key}' on {_options.Host}:{_options.Port} timed out after {_timeout.TotalSeconds:0.###} s (settings '{SftpSettings.ConnectTimeout}', '{SftpSettings.OperationTimeout}').",
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
