using Exports.Sdk.Tests.Fixtures;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Exports.Sdk.Tests.Destinations;

/// <summary>Issue 16: a destination declared in configuration follows a configuration reload, without a restart.</summary>
public sealed class ConfigurationReloadTests
{
    [Fact]
    public async Task ADeclaredDestination_ChangedInConfiguration_IsUsedFromTheNextRunOn()
    {
        using var folder = new TempFolder();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Exports:Destinations:drop:Type"] = "local",
            ["Exports:Destinations:drop:Settings:path"] = Path.Combine(folder.Root, "first"),
        }).Build();
        var services = new ServiceCollection();
        services.AddExports()
            .BindConfiguration(configuration.GetSection("Exports"))
            .UseInMemoryExportStore()
            .AddAudienceSource("src", new InMemoryAudienceSource().AddAudience(new AudienceInfo("vip", "VIP"),
                [new AudienceMember(new Dictionary<string, object?> { ["person.email"] = "ana@example.com" })]));
        await using var provider = services.BuildServiceProvider();
        var runner = provider.GetRequiredService<IExportRunner>();
        var dataflow = new DataflowDefinition
        {
            Id = "crm",
            Source = "src",
            Destination = "drop",
            Attributes = ["person.email"],
            Audiences = [new AudienceActivation { AudienceId = "vip" }],
        };

        var first = await runner.RunAsync(dataflow, new ExportRunRequest());
        configuration["Exports:Destinations:drop:Settings:path"] = Path.Combine(folder.Root, "second");
        configuration.Reload();
        var second = await runner.RunAsync(dataflow, new ExportRunRequest());

        first.Status.Should().Be(ExportRunStatus.Succeeded, string.Join("; ", first.Errors));
        second.Status.Should().Be(ExportRunStatus.Succeeded, string.Join("; ", second.Errors));
        File.Exists(Path.Combine(folder.Root, "first", first.Files.Single().Path)).Should().BeTrue();
        File.Exists(Path.Combine(folder.Root, "second", second.Files.Single().Path)).Should().BeTrue("the reloaded path is used from the next run on");
        provider.GetRequiredService<IDestinationCatalog>().GetDefinition("drop").Settings["path"].Should().EndWith("second");
    }
}
