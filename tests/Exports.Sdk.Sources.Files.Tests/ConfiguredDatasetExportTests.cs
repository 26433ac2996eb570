using System.IO.Compression;
using System.Text.Json;
using Exports.Sdk.Sources.Files;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Exports.Sdk.Sources.Files.Tests;

/// <summary>
/// Issue 20: a dataset export declared only in appsettings.json runs on its schedule in a host whose code does nothing
/// but register the SDK, the source and the scheduler.
/// </summary>
public sealed class ConfiguredDatasetExportTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly string _root = Directory.CreateTempSubdirectory("exports-configured-").FullName;

    [Fact]
    public async Task DatasetExportDeclaredInAppSettings_RunsOnSchedule_FullThenIncremental()
    {
        var orders = Path.Combine(_root, "orders.csv");
        await File.WriteAllTextAsync(orders, "id,total,updated_at\n1,10.5,2026-02-28T20:00:00Z\n2,7.25,2026-02-28T21:00:00Z\n");
        await File.WriteAllTextAsync(Path.Combine(_root, "appsettings.json"), $$"""
            {
              "Exports": {
                "StorePath": {{JsonSerializer.Serialize(Path.Combine(_root, "store"))}},
                "Destinations": {
                  "lake": {
                    "Type": "local",
                    "FolderPath": "raw",
                    "Settings": { "path": {{JsonSerializer.Serialize(Path.Combine(_root, "out"))}} },
                    "Output": { "Format": { "Name": "json", "Compression": "Gzip" } }
                  }
                },
                "DatasetExports": {
                  "orders-6h": {
                    "Source": "files",
                    "DatasetId": "orders",
                    "Destination": "lake",
                    "Mode": "FirstFullThenIncremental",
                    "WatermarkColumn": "updated_at",
                    "Schedule": { "Frequency": "Every6Hours", "StartDate": "2026-03-01", "StartTime": "00:00" }
                  }
                }
              }
            }
            """);
        var clock = new FakeTimeProvider(Start.AddMinutes(-1));

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = _root, Args = [] });
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.Services.AddExports()
            .BindConfiguration(builder.Configuration.GetSection(ExportsOptions.SectionName))
            .AddFileDatasetSource("files", d => d["orders"] = new FileDataset
            {
                Path = orders,
                Columns = [new("id", ExportColumnType.Int64), new("total", ExportColumnType.Decimal), new("updated_at", ExportColumnType.Timestamp)],
            })
            .AddScheduler();
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            var first = await WaitForSlotAsync(host, clock, Start);
            File.AppendAllText(orders, "3,99.0,2026-03-01T04:00:00Z\n2,8.00,2026-03-01T05:00:00Z\n");
            var second = await WaitForSlotAsync(host, clock, Start.AddHours(6));

            first.Status.Should().Be(ExportRunStatus.Succeeded, string.Join(" ", first.Errors));
            first.Trigger.Should().Be(ExportRunTrigger.Scheduled);
            Rows(Start).Should().Equal([(1L, 10.5m), (2L, 7.25m)], "the first run is the full backfill");
            second.Status.Should().Be(ExportRunStatus.Succeeded, string.Join(" ", second.Errors));
            Rows(Start.AddHours(6)).Should().Equal([(3L, 99.0m), (2L, 8.00m)], "later runs carry only what changed");
        }
        finally
        {
            await host.StopAsync();
        }
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>Lets the fake clock reach the slot (the scheduler's own timers fire) and waits for the slot's run to end.</summary>
    private static async Task<ExportRunRecord> WaitForSlotAsync(IHost host, FakeTimeProvider clock, DateTimeOffset slot)
    {
        var store = host.Services.GetRequiredService<IExportStore>();
        var runId = SlotRunId.For("orders-6h", "orders", slot);
        if (clock.GetUtcNow() < slot)
        {
            clock.SetUtcNow(slot);
        }

        for (var i = 0; i < 300; i++)
        {
            if (await store.GetRunAsync("orders-6h", runId) is { IsActive: false } run)
            {
                return run;
            }

            // Time passes: the scheduler sleeps on the host's TimeProvider until the next occurrence or poll.
            await Task.Delay(100);
            clock.Advance(TimeSpan.FromSeconds(1));
        }

        throw new TimeoutException($"The slot {slot:O} did not run.");
    }

    private List<(long Id, decimal Total)> Rows(DateTimeOffset slot)
    {
        var folder = Path.Combine(_root, "out", "raw", "orders", $"exportTime={slot:yyyyMMddHHmm}");
        var file = Directory.GetFiles(folder, "*.json.gz").Should().ContainSingle().Subject;
        using var reader = new StreamReader(new GZipStream(File.OpenRead(file), CompressionMode.Decompress));
        var rows = new List<(long Id, decimal Total)>();
        while (reader.ReadLine() is { Length: > 0 } line)
        {
            using var row = JsonDocument.Parse(line);
            rows.Add((row.RootElement.GetProperty("id").GetInt64(), row.RootElement.GetProperty("total").GetDecimal()));
        }

        return rows;
    }
}
