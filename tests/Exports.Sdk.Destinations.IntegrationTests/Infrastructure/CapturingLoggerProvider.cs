using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Exports.Sdk.Destinations.IntegrationTests.Infrastructure;

/// <summary>Keeps every log line (message and exception, formatted as a sink would) so tests can search them.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<LogLine> _lines = new();

    public IReadOnlyList<LogLine> Lines => [.. _lines];

    /// <summary>Everything logged, as one text: messages, exception types, messages and stack traces (inner ones too).</summary>
    public string AllText => string.Join("\n", _lines.Select(l => $"{l.Level} {l.Category} {l.Message} {l.Exception}"));

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    public sealed record LogLine(LogLevel Level, string Category, EventId EventId, string Message, string? Exception);

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            // Structured values too: a sink may write them separately from the message.
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? " " + string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            owner._lines.Enqueue(new LogLine(logLevel, category, eventId, formatter(state, exception) + values, exception?.ToString()));
        }
    }
}
