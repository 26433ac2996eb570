using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Exports.Sdk.EndToEnd;

/// <summary>
/// Times the S3 server's CompleteMultipartUpload from the S3 destination's own log: from a file's last part uploaded
/// (event 2002) to the file committed (2003), per object key; the round trip as the client sees it (on a cold JIT
/// process it includes compiling the request's code). fauxqs does that work on one core (an MD5 of every part, then one copy of
/// the object) while neither the SDK nor PostgreSQL has anything left to do, and <c>aws s3 cp</c> waits for the same;
/// the harness prints it beside the S3 goals, as the part of the time the server bounds. Only the S3 destination's
/// category is enabled, so the export's other logging costs nothing.
/// </summary>
internal sealed class S3CompletionTimer : ILoggerFactory, ILogger
{
    private const string Category = "Exports.Sdk.Destinations.AmazonS3";

    /// <summary>Per object key: when its last part was uploaded (files may upload side by side).</summary>
    private readonly ConcurrentDictionary<string, long> _lastPart = new(StringComparer.Ordinal);
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
        if (KeyOf(state) is not { } key)
        {
            return;
        }

        switch (eventId.Id)
        {
            case 2002:
                _lastPart[key] = Stopwatch.GetTimestamp();
                break;
            case 2003:
                // A file sent as one PutObject (the manifest) has no part before it.
                if (_lastPart.TryRemove(key, out var lastPart))
                {
                    Interlocked.Add(ref _ticks, Stopwatch.GetTimestamp() - lastPart);
                }

                break;
            case 2004:
                _lastPart.TryRemove(key, out _);
                break;
        }
    }

    /// <summary>The object key a log event of the S3 destination names (its <c>Key</c> field).</summary>
    private static string? KeyOf<TState>(TState state) =>
        state is IReadOnlyList<KeyValuePair<string, object?>> fields
            ? fields.FirstOrDefault(f => f.Key == "Key").Value as string
            : null;
}
