using Exports.Sdk.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Exports.Sdk.Destinations.IntegrationTests.Infrastructure;

/// <summary>
/// An application as a user would set it up: AddExports, one destination, the synthetic audience source and a dataflow
/// exporting audience <c>seg-1</c>, with every log line captured.
/// </summary>
public sealed class ExportHarness : IAsyncDisposable
{
    public const string DestinationName = "target";
    public const string AudienceId = "seg-1";
    private readonly ServiceProvider _provider;

    private ExportHarness(ServiceProvider provider, CapturingLoggerProvider logs)
    {
        _provider = provider;
        Logs = logs;
    }

    public CapturingLoggerProvider Logs { get; }

    public IDestination Destination => _provider.GetRequiredService<IDestinationCatalog>().GetDestination(DestinationName);

    /// <summary>The run records (with what a failed run left).</summary>
    public IExportStore Store => _provider.GetRequiredService<IExportStore>();

    public DestinationDefinition Definition => _provider.GetRequiredService<IDestinationCatalog>().GetDefinition(DestinationName);

    /// <summary>Builds the application.</summary>
    /// <param name="addDestination">Declares the destination named <see cref="DestinationName"/>.</param>
    /// <param name="members">The audience size.</param>
    public static ExportHarness Create(Action<IExportsBuilder> addDestination, long members)
    {
        var logs = new CapturingLoggerProvider();
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        var builder = services.AddExports().UseInMemoryExportStore()
            .AddAudienceSource("synthetic", new SyntheticAudienceSource().AddAudience(AudienceId, "Integration audience", members))
            .AddDataflow("flow", f =>
            {
                f.Source = "synthetic";
                f.Destination = DestinationName;
                f.Attributes = [.. SyntheticAudienceSource.AttributeNames];
                f.IncludeMembershipStatus = true;
                f.Audiences = [new AudienceActivation { AudienceId = AudienceId }];
            });
        addDestination(builder);
        return new ExportHarness(services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true }), logs);
    }

    public Task<ExportRunResult> RunAsync(ExportRunRequest request, IProgress<ExportProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var options = _provider.GetRequiredService<IOptions<ExportsOptions>>().Value;
        return _provider.GetRequiredService<IExportRunner>().RunAsync(options.GetDataflow("flow"), request, progress, cancellationToken);
    }

    public ValueTask DisposeAsync() => _provider.DisposeAsync();
}
