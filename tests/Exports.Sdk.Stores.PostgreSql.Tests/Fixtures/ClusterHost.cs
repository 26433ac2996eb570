using Exports.Sdk.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Exports.Sdk.ClusterTests;

/// <summary>
/// One "host" of a cluster in the test process: its own service provider with the PostgreSQL store (its own data
/// source and host name), optionally the Quartz scheduler, a source of its own and a destination shared by all hosts.
/// </summary>
internal sealed class ClusterHost : IAsyncDisposable
{
    public const string SourceName = "crm";
    public const string DestinationName = "drop";
    private readonly ServiceProvider _provider;
    private bool _started;

    public ClusterHost(string name, TestDatabase database, IDestinationProvider destinations, IAudienceSource source, Action<IExportsBuilder>? configure = null, TimeSpan? lease = null)
    {
        Name = name;
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        var builder = services.AddExports()
            .AddAudienceSource(SourceName, source)
            .AddDestinationProvider(destinations)
            .AddDestination(DestinationName, InMemoryDestinationProvider.TypeName)
            .UsePostgreSqlExportStore(database.ConnectionString, store =>
            {
                store.HostName = name;
                store.RunLeaseDuration = lease ?? TimeSpan.FromSeconds(3);
            });
        configure?.Invoke(builder);
        _provider = services.BuildServiceProvider();
    }

    public string Name { get; }

    public IServiceProvider Services => _provider;

    public IExportStore Store => _provider.GetRequiredService<IExportStore>();

    public IExportManager Manager => _provider.GetRequiredService<IExportManager>();

    public async Task StartAsync()
    {
        foreach (var hosted in _provider.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
        }

        _started = true;
    }

    public async Task StopAsync()
    {
        if (_started)
        {
            _started = false;
            foreach (var hosted in _provider.GetServices<IHostedService>().Reverse())
            {
                await hosted.StopAsync(CancellationToken.None);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _provider.DisposeAsync();
    }

    public static InMemoryAudienceSource Source(params string[] audiences)
    {
        var source = new InMemoryAudienceSource();
        foreach (var id in audiences.Length == 0 ? ["vip"] : audiences)
        {
            source.AddAudience(new AudienceInfo(id, id.ToUpperInvariant()), Enumerable.Range(0, 5).Select(i => new AudienceMember(
                new Dictionary<string, object?> { ["person.email"] = $"{id}{i}@example.com", ["person.name.firstName"] = $"First{i}" },
                MembershipStatus.Realized,
                new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(i))));
        }

        return source;
    }

    public static DataflowDefinition Dataflow(string id, ExportSchedule? schedule, params string[] audiences) => new()
    {
        Id = id,
        Name = id,
        Source = SourceName,
        Destination = DestinationName,
        Attributes = ["person.email", "person.name.firstName"],
        Audiences = [.. (audiences.Length == 0 ? ["vip"] : audiences).Select(a => new AudienceActivation
        {
            AudienceId = a,
            FileNameTemplate = "%DESTINATION_NAME%_%SEGMENT_ID%_%TIMESTAMP%",
            Mode = ExportMode.DailyFullExport,
            Schedule = schedule?.Clone(),
        })],
    };
}
