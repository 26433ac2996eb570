using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Exports.Sdk.Tests.Fixtures;

/// <summary>
/// One export wired the way an application wires it: <c>AddExports()</c>, a source, a local-folder destination (optionally
/// wrapped by the test through a provider registered with <c>AddDestinationProvider</c>) and a dataflow.
/// </summary>
internal sealed record ExportScenario
{
    public const string DestinationName = "dest";
    public const string DataflowId = "flow";
    public const string SourceName = "src";
    public const string DefaultTemplate = "%DESTINATION_NAME%_%SEGMENT_ID%";

    public static readonly DateTimeOffset ScheduledTime = new(2026, 3, 4, 5, 6, 7, TimeSpan.Zero);

    public required IAudienceSource Source { get; init; }

    public required IReadOnlyList<string> Attributes { get; init; }

    /// <summary>The local folder the destination writes into.</summary>
    public required string Root { get; init; }

    public Action<DestinationDefinition>? Configure { get; init; }

    public string Template { get; init; } = DefaultTemplate;

    public IReadOnlyList<string> AudienceIds { get; init; } = ["seg"];

    /// <summary>Wraps the local-folder destination (e.g. in a <see cref="RecordingDestination"/>).</summary>
    public Func<IDestination, IDestination>? Wrap { get; init; }

    public string RunId { get; init; } = "run1";

    public Task<ExportRunResult> RunAsync(CancellationToken cancellationToken = default) => RunAsync(null, cancellationToken);

    public async Task<ExportRunResult> RunAsync(IProgress<ExportProgress>? progress, CancellationToken cancellationToken = default)
    {
        var services = new ServiceCollection();
        var builder = services.AddExports().UseInMemoryExportStore().AddAudienceSource(SourceName, Source);
        if (Wrap is null)
        {
            builder.AddLocalFolderDestination(DestinationName, Root, d => Configure?.Invoke(d));
        }
        else
        {
            services.AddSingleton(new DestinationWrap(Wrap));
            builder.AddDestinationProvider<WrappedLocalFolderProvider>()
                .AddDestination(DestinationName, WrappedLocalFolderProvider.TypeName, d =>
                {
                    d.Settings["path"] = Root;
                    Configure?.Invoke(d);
                });
        }

        builder.AddDataflow(DataflowId, f =>
        {
            f.Source = SourceName;
            f.Destination = DestinationName;
            f.Attributes = [.. Attributes];
            f.Audiences = [.. AudienceIds.Select(id => new AudienceActivation { AudienceId = id, FileNameTemplate = Template })];
        });

        await using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<ExportsOptions>>().Value;
        var runner = provider.GetRequiredService<IExportRunner>();
        return await runner.RunAsync(
            options.GetDataflow(DataflowId),
            new ExportRunRequest { RunId = RunId, ScheduledTime = ScheduledTime },
            progress,
            cancellationToken);
    }

    internal sealed record DestinationWrap(Func<IDestination, IDestination> Wrap);

    /// <summary>A provider that creates a local-folder destination and hands it to the test's wrapper.</summary>
    internal sealed class WrappedLocalFolderProvider(DestinationWrap wrap) : IDestinationProvider
    {
        public const string TypeName = "wrapped-local";

        public DestinationDescriptor Descriptor { get; } = new(TypeName, "Local folder, wrapped by a test");

        public IReadOnlyList<string> Validate(DestinationDefinition definition) => [];

        public IDestination Create(DestinationDefinition definition, IServiceProvider services) =>
            wrap.Wrap(new LocalFolderDestination(definition.Name, definition.Settings["path"]!));
    }
}
