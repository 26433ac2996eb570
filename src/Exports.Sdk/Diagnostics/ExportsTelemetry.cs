using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Exports.Sdk;

/// <summary>
/// The SDK's metrics (<see cref="Meter"/>) and traces (<see cref="ActivitySource"/>), both named <c>Exports.Sdk</c>, so
/// OpenTelemetry collects them with <c>AddMeter("Exports.Sdk")</c> and <c>AddSource("Exports.Sdk")</c> and no extra
/// package in the SDK. Tags: <c>dataflow</c>, <c>destination.type</c>, and <c>reason</c>/<c>status</c>/<c>decision</c> where noted.
/// </summary>
public static class ExportsTelemetry
{
    /// <summary>The name of the meter and of the activity source.</summary>
    public const string Name = "Exports.Sdk";

    internal static readonly ActivitySource ActivitySource = new(Name, typeof(ExportsTelemetry).Assembly.GetName().Version?.ToString());

    internal static readonly Meter Meter = new(Name, typeof(ExportsTelemetry).Assembly.GetName().Version?.ToString());

    internal static readonly Counter<long> RowsExported = Meter.CreateCounter<long>(
        "exports.rows.exported", "{row}", "Rows written to committed files.");

    internal static readonly Counter<long> RowsSkipped = Meter.CreateCounter<long>(
        "exports.rows.skipped", "{row}", "Rows not exported, by reason (missing mandatory attribute, duplicate).");

    internal static readonly Counter<long> BytesWritten = Meter.CreateCounter<long>(
        "exports.bytes.written", "By", "Bytes of committed files, after compression.");

    internal static readonly Counter<long> FilesCommitted = Meter.CreateCounter<long>(
        "exports.files.committed", "{file}", "Data files committed to destinations.");

    internal static readonly Counter<long> Runs = Meter.CreateCounter<long>(
        "exports.runs", "{run}", "Runs by outcome (tag status).");

    internal static readonly Histogram<double> RunDuration = Meter.CreateHistogram<double>(
        "exports.run.duration", "s", "How long runs take.");

    internal static readonly Counter<long> Retries = Meter.CreateCounter<long>(
        "exports.retries", "{retry}", "Retries of destination requests after transient failures.");

    internal static readonly Counter<long> SchedulerDecisions = Meter.CreateCounter<long>(
        "exports.scheduler.decisions", "{decision}", "Scheduling decisions by kind (tag decision): due, waiting, started, skipped, finished.");

    internal static readonly Histogram<double> SchedulerLag = Meter.CreateHistogram<double>(
        "exports.scheduler.lag", "s", "How late scheduled runs start after their occurrence.");

    /// <summary>
    /// Records a retry of a destination request, for destination providers (so retries show in the SDK's metrics).
    /// </summary>
    /// <param name="destinationType">The provider type, e.g. <c>amazon-s3</c>.</param>
    /// <param name="destinationName">The destination name.</param>
    public static void RecordRetry(string destinationType, string destinationName) =>
        Retries.Add(1, new KeyValuePair<string, object?>("destination.type", destinationType), new KeyValuePair<string, object?>("destination", destinationName));
}
