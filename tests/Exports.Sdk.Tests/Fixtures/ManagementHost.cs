using Exports.Sdk.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Exports.Sdk.Tests.Fixtures;

/// <summary>
/// A service provider as an application builds it for the management API: an in-memory audience source, in-memory
/// destinations ("crm-drop" shared with "carol" for edit and "dave" for view; "partner-sftp" shared with nobody),
/// a fake clock, and a file store in <see cref="StorePath"/> (or an in-memory one).
/// </summary>
internal sealed class ManagementHost : IAsyncDisposable
{
    public const string Source = "crm";
    public static readonly DateTimeOffset Now = new(2026, 6, 15, 10, 0, 0, TimeSpan.Zero);

    private readonly ServiceProvider _provider;

    public ManagementHost(string? storePath = null, IAudienceSource? source = null, Action<IExportsBuilder>? configure = null, FakeTimeProvider? clock = null)
    {
        StorePath = storePath;
        Clock = clock ?? new FakeTimeProvider(Now);
        AudienceSource = source ?? DefaultSource();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(Clock);
        Destinations = new InMemoryDestinationProvider();
        var builder = services.AddExports()
            .AddAudienceSource(Source, AudienceSource)
            .AddDestinationProvider(Destinations)
            .AddDestination("crm-drop", InMemoryDestinationProvider.TypeName, d =>
            {
                d.SharedWith["carol"] = DestinationAccess.Edit;
                d.SharedWith["dave"] = DestinationAccess.View;
            })
            .AddDestination("partner-sftp", InMemoryDestinationProvider.TypeName);
        if (storePath is null)
        {
            builder.UseInMemoryExportStore();
        }
        else
        {
            builder.UseFileExportStore(storePath);
        }

        configure?.Invoke(builder);
        _provider = services.BuildServiceProvider();
    }

    public string? StorePath { get; }

    public FakeTimeProvider Clock { get; }

    public IAudienceSource AudienceSource { get; }

    public InMemoryDestinationProvider Destinations { get; }

    public IExportManager Manager => _provider.GetRequiredService<IExportManager>();

    public IExportStore Store => _provider.GetRequiredService<IExportStore>();

    public IServiceProvider Services => _provider;

    public static InMemoryAudienceSource DefaultSource()
    {
        var source = new InMemoryAudienceSource();
        foreach (var id in new[] { "vip", "churn", "newsletter" })
        {
            source.AddAudience(new AudienceInfo(id, id.ToUpperInvariant()), Enumerable.Range(0, 5).Select(i => new AudienceMember(
                new Dictionary<string, object?>
                {
                    ["person.email"] = $"{id}{i}@example.com",
                    ["person.name.firstName"] = $"First{i}",
                    ["identityMap.crmId"] = $"CRM{i}",
                },
                MembershipStatus.Realized,
                Now.AddDays(-i))));
        }

        return source;
    }

    public static DataflowDefinition Dataflow(string name = "Daily CRM", string destination = "crm-drop", params string[] audiences) => new()
    {
        Name = name,
        Source = Source,
        Destination = destination,
        Attributes = ["person.email", "person.name.firstName"],
        Audiences = [.. (audiences.Length == 0 ? ["vip", "churn"] : audiences).Select(a => new AudienceActivation
        {
            AudienceId = a,
            FileNameTemplate = "%DESTINATION_NAME%_%SEGMENT_ID%_%TIMESTAMP%",
            Mode = ExportMode.DailyFullExport,
            Schedule = new ExportSchedule { Frequency = ScheduleFrequency.Daily, StartDate = new DateOnly(2026, 6, 1), StartTime = "06:30" },
        })],
    };

    public ValueTask DisposeAsync() => _provider.DisposeAsync();
}
