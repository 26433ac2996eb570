using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Exports.Sdk;

/// <summary>
/// The SDK's metrics (<see cref="Meter"/>) and traces (<see cref="ActivitySource"/>), both named <c>Exports.Sdk</c>, so
/// OpenTelemetry collects them with <c>AddMeter("Exports.Sdk")</c> and <c>AddSource("Exports.Sdk")</c>.
/// </summary>
public static class ExportsTelemetry
{
    /// <summary>The name of the meter and of the activity source.</summary>
    public const string Name = "Exports.Sdk";

    internal static readonly ActivitySource ActivitySource = new(Name, typeof(ExportsTelemetry).Assembly.GetName().Version?.ToString());

    internal static readonly Meter Meter = new(Name, typeof(ExportsTelemetry).Assembly.GetName().Version?.ToString());

    internal static readonly Counter<long> SchedulerDecisions = Meter.CreateCounter<long>(
        "exports.scheduler.decisions", "{decision}", "Scheduling decisions by kind: due, waiting, started, skipped, finished.");

    internal static readonly Histogram<double> SchedulerLag = Meter.CreateHistogram<double>(
        "exports.scheduler.lag", "s", "How late scheduled runs start after their occurrence.");
}
