using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Exports.Sdk.Testing;
using Exports.Sdk.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Exports.Sdk.Tests.Diagnostics;

/// <summary>Metrics and traces as an OpenTelemetry collector would see them, through real listeners.</summary>
[Collection(nameof(TelemetryTests))]
public sealed class TelemetryTests
{
    [Fact]
    public async Task RunAsync_Export_EmitsMetricsAndActivitiesMatchingTheResult()
    {
        using var folder = new TempFolder();
        var dataflowId = "telemetry-" + Guid.NewGuid().ToString("N");
        var measurements = new ConcurrentBag<(string Name, long Value, Dictionary<string, object?> Tags)>();
        using var meters = new MeterListener();
        meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == ExportsTelemetry.Name)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        meters.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var map = new Dictionary<string, object?>();
            foreach (var tag in tags)
            {
                map[tag.Key] = tag.Value;
            }

            if (Equals(map.GetValueOrDefault("dataflow"), dataflowId))
            {
                measurements.Add((instrument.Name, value, map));
            }
        });
        meters.Start();
        var activities = new ConcurrentBag<Activity>();
        using var tracing = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ExportsTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.GetTagItem("dataflow") as string == dataflowId || activity.OperationName == "exports.file")
                {
                    activities.Add(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(tracing);

        var services = new ServiceCollection();
        services.AddExports().UseInMemoryExportStore()
            .AddAudienceSource("synthetic", new SyntheticAudienceSource().AddAudience("seg", "Segment", 2_500))
            .AddLocalFolderDestination("drop", folder.Root, d => { d.Output.MaxRowsPerFile = 1_000; d.Output.Format.Compression = ExportCompression.Gzip; })
            .AddDataflow(dataflowId, f =>
            {
                f.Source = "synthetic";
                f.Destination = "drop";
                f.Attributes = ["profileId", "person.email"];
                f.Audiences = [new AudienceActivation { AudienceId = "seg" }];
            });
        await using var provider = services.BuildServiceProvider();
        var result = await provider.GetRequiredService<IExportRunner>().RunAsync(
            provider.GetRequiredService<IOptions<ExportsOptions>>().Value.GetDataflow(dataflowId), new ExportRunRequest());
        meters.RecordObservableInstruments();

        long Sum(string name) => measurements.Where(m => m.Name == name).Sum(m => m.Value);
        result.Status.Should().Be(ExportRunStatus.Succeeded);
        Sum("exports.rows.exported").Should().Be(2_500).And.Be(result.Entries[0].RowsExported);
        Sum("exports.bytes.written").Should().Be(result.Entries[0].Bytes);
        Sum("exports.files.committed").Should().Be(3);
        measurements.Should().ContainSingle(m => m.Name == "exports.runs").Which.Tags.Should().Contain("status", "Succeeded").And.Contain("destination.type", "local");
        measurements.Where(m => m.Name == "exports.rows.exported").Should().OnlyContain(m => (string?)m.Tags["destination.type"] == "local");

        var run = activities.Should().ContainSingle(a => a.OperationName == "exports.run").Which;
        run.GetTagItem("run.id").Should().Be(result.RunId);
        run.GetTagItem("destination.type").Should().Be("local");
        var audience = activities.Should().ContainSingle(a => a.OperationName == "exports.audience").Which;
        audience.ParentSpanId.Should().Be(run.SpanId);
        audience.GetTagItem("rows").Should().Be(2_500L);
        var files = activities.Where(a => a.OperationName == "exports.file" && a.TraceId == run.TraceId).ToList();
        files.Select(f => f.GetTagItem("file.path")).Should().BeEquivalentTo(result.Files.Select(f => f.Path));
        files.Should().OnlyContain(f => f.ParentSpanId == audience.SpanId);
        files.Sum(f => (long)f.GetTagItem("file.bytes")!).Should().Be(result.Entries[0].Bytes);
    }

    [Fact]
    public async Task RunAsync_FailingExportWithASecretSetting_LogsTheFailureOnceWithTheRunIdAndNoSecret()
    {
        const string Secret = "s3cr3t-Pa55w0rd-do-not-log";
        var logs = new ConcurrentBag<(LogLevel Level, EventId Id, string Message)>();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(new CapturingLoggerProvider(logs)));
        services.AddExports().UseInMemoryExportStore()
            .AddAudienceSource("broken", new InMemoryAudienceSource())
            .AddDestinationProvider(new InMemoryDestinationProvider())
            .AddDestination("drop", InMemoryDestinationProvider.TypeName, d => d.Settings["password"] = Secret)
            .AddDataflow("flow", f =>
            {
                f.Source = "broken";
                f.Destination = "drop";
                f.Attributes = ["a"];
                f.Audiences = [new AudienceActivation { AudienceId = "missing" }];
            });
        await using var provider = services.BuildServiceProvider();

        var result = await provider.GetRequiredService<IExportRunner>().RunAsync(
            provider.GetRequiredService<IOptions<ExportsOptions>>().Value.GetDataflow("flow"), new ExportRunRequest { RunId = "run-42" });

        result.Status.Should().Be(ExportRunStatus.Failed);
        logs.Should().NotBeEmpty();
        logs.Should().NotContain(l => l.Message.Contains(Secret, StringComparison.Ordinal));
        result.Errors.Should().NotContain(e => e.Contains(Secret, StringComparison.Ordinal));
        logs.Where(l => l.Level >= LogLevel.Error).Should().ContainSingle()
            .Which.Message.Should().Contain("run-42").And.Contain("missing");
    }

    private sealed class CapturingLoggerProvider(ConcurrentBag<(LogLevel, EventId, string)> sink) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(sink);

        public void Dispose()
        {
        }

        private sealed class Logger(ConcurrentBag<(LogLevel, EventId, string)> sink) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                sink.Add((logLevel, eventId, formatter(state, exception) + " " + exception));
        }
    }
}
