using System.Net.Sockets;

namespace Exports.Sdk;

/// <summary>
/// A ready request pipeline for providers whose client throws the usual .NET network exceptions: I/O, socket, HTTP
/// and timeout failures are retried as transient; <see cref="DestinationException"/>s keep their own verdict; anything
/// else goes through unchanged. Hand it to a <see cref="BufferedPartWriter"/> or run requests with it.
/// </summary>
public sealed class DestinationRequests : DestinationRequestPipeline<string>
{
    /// <summary>Builds the pipeline.</summary>
    /// <param name="destinationName">The destination, for messages and metrics.</param>
    /// <param name="destinationType">The provider type, for metrics.</param>
    /// <param name="timeProvider">The clock for delays and timeouts.</param>
    /// <param name="maxRetryAttempts">Retries after the first attempt. Default 3.</param>
    /// <param name="retryDelay">The first backoff delay, growing exponentially with jitter. Default 1 s.</param>
    /// <param name="timeout">The timeout of each attempt. Default 100 s.</param>
    public DestinationRequests(string destinationName, string destinationType, TimeProvider timeProvider, int maxRetryAttempts = 3, TimeSpan? retryDelay = null, TimeSpan? timeout = null)
        : base(destinationName, destinationType, maxRetryAttempts, retryDelay ?? TimeSpan.FromSeconds(1), timeout ?? TimeSpan.FromSeconds(100), timeProvider)
    {
    }

    /// <inheritdoc />
    protected override DestinationException? MapError(Exception exception, string operation, string target, CancellationToken cancellationToken) =>
        exception is IOException or SocketException or HttpRequestException or TimeoutException
            ? new DestinationException($"Destination '{DestinationName}': {operation} of '{target}' failed: {exception.Message}", isTransient: true, exception)
            : null;

    /// <inheritdoc />
    protected override string DescribeTimeout(string operation, string target) =>
        $"Destination '{DestinationName}': {operation} of '{target}' timed out after {Timeout.TotalSeconds:0.###} s.";
}
