using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Exports.Sdk.EndToEnd;

/// <summary>
/// Times the S3 server's CompleteMultipartUpload from the S3 destination's own log: from a file's last part uploaded
/// (event 2002) to the file committed (2003). fauxqs does that work on one core (an MD5 of every part, then one copy of
/// the object) while neither the SDK nor PostgreSQL has anything left to do, and <c>aws s3 cp</c> waits for the same;
/// the harness prints it beside the S3 goals, as the part of the time the server bounds. Only the S3 destination's
/// category is enabled, so the export's other logging costs nothing.
/// </summary>
internal sealed class S3CompletionTimer : ILoggerFactory, ILogger
{
    private const string Category = "Exports.Sdk.Destinations.AmazonS3";
    private long _lastPart;
    private long _ticks;

    /// <summary>The seconds taken since the last <see cref="Take"/>, and starts counting again.</summary>
    public double Take() => Stopwatch.GetElapsedTime(0, Interlocked.Exchange(ref _ticks, 0)).TotalSeconds;

    public ILogger CreateLogger(string categoryName) =>
        categoryName == Category ? this : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        switch (eventId.Id)
        {
            case 2002:
                Volatile.Write(ref _lastPart, Stopwatch.GetTimestamp());
                break;
            case 2003:
                // A file sent as one PutObject (the manifest) has no part before it.
                var lastPart = Interlocked.Exchange(ref _lastPart, 0);
                if (lastPart != 0)
                {
                    Interlocked.Add(ref _ticks, Stopwatch.GetTimestamp() - lastPart);
                }

                break;
        }
    }
}
