using System.Text;
using Exports.Sdk.Testing;
using Exports.Sdk.Tests.Fixtures;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Exports.Sdk.Tests.Engine;

/// <summary>
/// Storage and output are separate parts of a destination: a dataflow may write its own format and part limits to
/// the same storage, so a second format needs no second destination.
/// </summary>
public sealed class ExportOutputTests
{
    [Fact]
    public async Task Dataflow_WithItsOwnOutput_WritesThatFormatToTheSameStorage_WhileOthersKeepTheDestinations()
    {
        await using var host = new ManagementHost();
        var jsonl = ManagementHost.Dataflow("As JSON Lines", audiences: "vip");
        jsonl.Output = new ExportOutputOptions { Format = { Name = "jsonl" }, MaxRowsPerFile = 2, WriteManifest = false };
        var csv = ManagementHost.Dataflow("As CSV", audiences: "churn");
        var jsonlFlow = (await host.Manager.CreateAsync(Callers.Admin, jsonl)).Definition;
        var csvFlow = (await host.Manager.CreateAsync(Callers.Admin, csv)).Definition;

        var jsonlRun = await host.Manager.ExportNowAsync(Callers.Admin, jsonlFlow.Id, ["vip"]);
        var csvRun = await host.Manager.ExportNowAsync(Callers.Admin, csvFlow.Id, ["churn"]);

        var files = host.Destinations.Get("crm-drop").Files;
        var jsonlFiles = jsonlRun.Entries.Single().Files.Select(f => f.Path).ToList();
        jsonlFiles.Should().HaveCount(3, "5 rows at 2 rows per part").And.OnlyContain(f => f.EndsWith(".jsonl", StringComparison.Ordinal));
        var lines = jsonlFiles.SelectMany(f => Encoding.UTF8.GetString(files[f]).Split('\n', StringSplitOptions.RemoveEmptyEntries)).ToList();
        lines.Should().HaveCount(5).And.OnlyContain(l => l.StartsWith("{\"person\":{\"email\":\"vip", StringComparison.Ordinal));
        jsonlRun.ManifestPath.Should().BeNull();

        csvRun.Entries.Single().Files.Should().ContainSingle().Which.Path.Should().EndWith(".csv");
        Encoding.UTF8.GetString(files[csvRun.Entries.Single().Files[0].Path]).Should().StartWith("person.email,person.name.firstName");
        csvRun.ManifestPath.Should().NotBeNull("the destination's output writes a manifest");
    }

    [Fact]
    public void Configuration_BindsTheDestinationsOutput_AndADataflowsOwn()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Exports:Destinations:drop:Type"] = "local",
            ["Exports:Destinations:drop:Settings:path"] = Path.Combine(Path.GetTempPath(), "exports-output-binding"),
            ["Exports:Destinations:drop:Output:Format:Name"] = "csv",
            ["Exports:Destinations:drop:Output:Format:Compression"] = "Gzip",
            ["Exports:Destinations:drop:Output:MaxRowsPerFile"] = "1000",
            ["Exports:Dataflows:daily:Source"] = "crm",
            ["Exports:Dataflows:daily:Destination"] = "drop",
            ["Exports:Dataflows:daily:Attributes:0"] = "person.email",
            ["Exports:Dataflows:daily:Audiences:0:AudienceId"] = "vip",
            ["Exports:Dataflows:daily:Output:Format:Name"] = "jsonl",
            ["Exports:Dataflows:daily:Output:EmptyExport"] = "NoFile",
        }).Build();
        var services = new ServiceCollection();
        services.AddExports().BindConfiguration(configuration.GetSection("Exports"))
            .AddAudienceSource("crm", new SyntheticAudienceSource().AddAudience("vip", "VIP", 3));
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<ExportsOptions>>().Value;

        options.Destinations["drop"].Output.Should().BeEquivalentTo(new { MaxRowsPerFile = 1000, WriteManifest = true, Format = new { Name = "csv", Compression = ExportCompression.Gzip } });
        options.Dataflows["daily"].Output.Should().BeEquivalentTo(new { EmptyExport = EmptyExportBehavior.NoFile, MaxRowsPerFile = 5_000_000, Format = new { Name = "jsonl" } });
    }

    [Fact]
    public void StartUp_DataflowOutputWithAnUnknownFormat_IsRefusedNamingTheDataflowAndTheField()
    {
        var services = new ServiceCollection();
        services.AddExports()
            .AddLocalFolderDestination("drop", Path.Combine(Path.GetTempPath(), "exports-output-unknown"))
            .AddAudienceSource("crm", new SyntheticAudienceSource().AddAudience("vip", "VIP", 3))
            .AddDataflow("daily", f =>
            {
                f.Source = "crm";
                f.Destination = "drop";
                f.Attributes = ["person.email"];
                f.Audiences = [new AudienceActivation { AudienceId = "vip" }];
                f.Output = new ExportOutputOptions { Format = { Name = "xml" }, MaxRowsPerFile = 0 };
            });
        using var provider = services.BuildServiceProvider();

        var failures = FluentActions.Invoking(() => provider.GetRequiredService<IOptions<ExportsOptions>>().Value)
            .Should().Throw<OptionsValidationException>().Which.Failures;

        failures.Should().Contain(f => f.StartsWith("Dataflow 'daily': Output.Format.Name 'xml' is not a registered format", StringComparison.Ordinal))
            .And.Contain("Dataflow 'daily': Output.MaxRowsPerFile must be at least 1, not 0.");
    }

    [Fact]
    public void Clone_CopiesTheOutputDeeply()
    {
        var dataflow = ManagementHost.Dataflow();
        dataflow.Output = new ExportOutputOptions { Format = { Name = "jsonl", Settings = { ["k"] = "v" } } };

        var copy = dataflow.Clone();
        copy.Output!.Format.Name = "csv";
        copy.Output.Format.Settings["k"] = "changed";
        copy.Output.Format.Csv.Delimiter = ';';

        dataflow.Output.Format.Name.Should().Be("jsonl");
        dataflow.Output.Format.Settings["k"].Should().Be("v");
        dataflow.Output.Format.Csv.Delimiter.Should().Be(',');
    }
}
