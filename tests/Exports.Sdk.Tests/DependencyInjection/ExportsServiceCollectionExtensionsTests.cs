using System.Text;
using System.Text.Json;
using Exports.Sdk.Testing;
using Exports.Sdk.Tests.Fixtures;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Exports.Sdk.Tests.DependencyInjection;

/// <summary>Registration through the public builder: a custom provider, the catalog, start-up validation.</summary>
public sealed class ExportsServiceCollectionExtensionsTests
{
    [Fact]
    public async Task AddDestinationProvider_CustomProvider_ReceivesTheFiles()
    {
        var store = new DictionaryStore();
        var services = new ServiceCollection();
        services.AddSingleton(store);
        services.AddExports().UseInMemoryExportStore()
            .AddDestinationProvider<DictionaryDestinationProvider>()
            .AddDestination("x", DictionaryDestinationProvider.TypeName, d =>
            {
                d.Settings["container"] = "bucket-1";
                d.Settings["apiKey"] = "s3cr3t-value";
                d.Output.MaxRowsPerFile = 4;
            })
            .AddAudienceSource("src", new InMemoryAudienceSource().AddAudience(
                new AudienceInfo("vip", "VIP"),
                Enumerable.Range(0, 6).Select(i => new AudienceMember(new Dictionary<string, object?>
                {
                    ["id"] = i,
                    ["person.name"] = i % 2 == 0 ? $"Name, \"{i}\"" : null,
                }))))
            .AddDataflow("flow", f =>
            {
                f.Source = "src";
                f.Destination = "x";
                f.Attributes = ["id", "person.name"];
                f.Audiences = [new AudienceActivation { AudienceId = "vip", FileNameTemplate = "%DESTINATION_NAME%_%SEGMENT_ID%" }];
            });
        await using var provider = services.BuildServiceProvider();

        var result = await provider.GetRequiredService<IExportRunner>().RunAsync(
            provider.GetRequiredService<IOptions<ExportsOptions>>().Value.GetDataflow("flow"),
            new ExportRunRequest { RunId = "r1" });

        result.Status.Should().Be(ExportRunStatus.Succeeded, string.Join("; ", result.Errors));
        store.Files.Keys.Should().BeEquivalentTo(["bucket-1/x_vip.csv", "bucket-1/x_vip_2.csv", "bucket-1/manifest-x-r1.json"]);
        var rows = new[] { "bucket-1/x_vip.csv", "bucket-1/x_vip_2.csv" }
            .SelectMany(k => FileContent.ParseCsv(store.Files[k], ',').Skip(1))
            .ToList();
        rows.Should().BeEquivalentTo(
            Enumerable.Range(0, 6).Select(i => new[] { i.ToString(System.Globalization.CultureInfo.InvariantCulture), i % 2 == 0 ? $"Name, \"{i}\"" : "" }),
            o => o.WithStrictOrdering());
        Encoding.UTF8.GetString(store.Files["bucket-1/manifest-x-r1.json"]).Should().NotContain("s3cr3t-value");
        using var manifest = JsonDocument.Parse(store.Files["bucket-1/manifest-x-r1.json"]);
        manifest.RootElement.GetProperty("exportResults").GetArrayLength().Should().Be(2);
    }

    [Fact]
    public async Task Providers_CustomProviderRegistered_CatalogListsItWithItsSettings()
    {
        var services = new ServiceCollection();
        services.AddSingleton(new DictionaryStore());
        services.AddExports()
            .AddDestinationProvider<DictionaryDestinationProvider>()
            .AddDestination("x", DictionaryDestinationProvider.TypeName, d => d.Settings["container"] = "c");
        await using var provider = services.BuildServiceProvider();

        var catalog = provider.GetRequiredService<IDestinationCatalog>();

        catalog.Providers.Select(p => p.Type).Should().BeEquivalentTo([LocalFolderDestinationProvider.TypeName, DictionaryDestinationProvider.TypeName]);
        var descriptor = catalog.Providers.Single(p => p.Type == DictionaryDestinationProvider.TypeName);
        descriptor.DisplayName.Should().Be("Dictionary (test)");
        descriptor.AuthSchemes.Should().Equal("apiKey");
        descriptor.Settings.Select(s => (s.Name, s.IsRequired, s.IsSecret)).Should().Equal(
            ("container", true, false), ("apiKey", false, true), ("prefix", false, false));
        catalog.Providers.Single(p => p.Type == "local").Settings.Should().ContainSingle(s => s.Name == "path" && s.IsRequired);
        catalog.Destinations.Select(d => d.Name).Should().Equal("x");
        catalog.GetDestination("X").Should().BeOfType<DictionaryDestination>().Which.Name.Should().Be("x");
        catalog.GetDestination("x").Should().BeSameAs(catalog.GetDestination("x"));
    }

    [Fact]
    public void GetDestination_UnknownName_ThrowsNamingIt()
    {
        var services = new ServiceCollection();
        services.AddExports().AddLocalFolderDestination("here", "/tmp/unused-exports-folder");
        using var provider = services.BuildServiceProvider();

        var act = () => provider.GetRequiredService<IDestinationCatalog>().GetDestination("nowhere");

        act.Should().Throw<ExportValidationException>().WithMessage("*'nowhere'*here*");
    }

    [Fact]
    public void OptionsValue_MissingRequiredSetting_ThrowsNamingDestinationAndSetting()
    {
        var services = new ServiceCollection();
        services.AddSingleton(new DictionaryStore());
        services.AddExports()
            .AddDestinationProvider<DictionaryDestinationProvider>()
            .AddDestination("x", DictionaryDestinationProvider.TypeName)
            .AddDestination("folder", LocalFolderDestinationProvider.TypeName);
        using var provider = services.BuildServiceProvider();

        var error = Validate(provider);

        error.Failures.Should().Contain(f => f.Contains("Destination 'x'", StringComparison.Ordinal) && f.Contains("'container'", StringComparison.Ordinal));
        error.Failures.Should().Contain(f => f.Contains("Destination 'folder'", StringComparison.Ordinal) && f.Contains("'path'", StringComparison.Ordinal));
    }

    [Fact]
    public void OptionsValue_UnknownProviderType_ThrowsNamingDestinationAndType()
    {
        var services = new ServiceCollection();
        services.AddExports().AddDestination("x", "ftp-from-1995");
        using var provider = services.BuildServiceProvider();

        Validate(provider).Failures.Should().ContainSingle(f =>
            f.Contains("Destination 'x'", StringComparison.Ordinal) && f.Contains("'ftp-from-1995'", StringComparison.Ordinal));
    }

    [Fact]
    public void OptionsValue_UnknownFormat_ThrowsNamingDestinationAndFormat()
    {
        var services = new ServiceCollection();
        services.AddExports().AddLocalFolderDestination("x", "/tmp/unused-exports-folder", d => d.Output.Format.Name = "xml");
        using var provider = services.BuildServiceProvider();

        Validate(provider).Failures.Should().ContainSingle(f =>
            f.Contains("Destination 'x'", StringComparison.Ordinal) && f.Contains("Format.Name 'xml'", StringComparison.Ordinal));
    }

    [Fact]
    public void OptionsValue_BadFormatOptions_ThrowsNamingDestinationAndOption()
    {
        var services = new ServiceCollection();
        services.AddExports().AddLocalFolderDestination("x", "/tmp/unused-exports-folder", d => d.Output.Format.Csv.Delimiter = 'x');
        using var provider = services.BuildServiceProvider();

        Validate(provider).Failures.Should().ContainSingle(f =>
            f.Contains("Destination 'x'", StringComparison.Ordinal) && f.Contains("Format.Csv.Delimiter 'x'", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/data/outbox", "it is absolute")]
    [InlineData("outbox/../../etc", "..")]
    public void OptionsValue_FolderPathOutsideTheRoot_IsRefusedNamingTheValue(string folder, string problem)
    {
        var services = new ServiceCollection();
        services.AddExports().AddLocalFolderDestination("x", "/tmp/unused-exports-folder", d => d.FolderPath = folder);
        using var provider = services.BuildServiceProvider();

        Validate(provider).Failures.Should().ContainSingle(f =>
            f.Contains("Destination 'x'", StringComparison.Ordinal) && f.Contains($"FolderPath '{folder}' is not allowed", StringComparison.Ordinal)
            && f.Contains(problem, StringComparison.Ordinal));
    }

    [Theory]
    // Issue 21, item 11: each used to be reported as "Destination 'demo-folder' is not a configured destination",
    // or ignored (a misspelt key, a negative parallelism).
    [InlineData("Destinations:demo-folder:Output:Format:Compression", "Zip", "Exports:Destinations:demo-folder:Output:Format:Compression is 'Zip', which is not one of None, Gzip.")]
    [InlineData("Destinations:demo-folder:Output:MaxRowsPerFile", "abc", "Exports:Destinations:demo-folder:Output:MaxRowsPerFile is 'abc', which is not a whole number.")]
    [InlineData("Destinations:demo-folder:Output:Format:Csv:Header", "maybe", "Exports:Destinations:demo-folder:Output:Format:Csv:Header is 'maybe', which is not true or false.")]
    [InlineData("Destinations:demo-folder:Output:Format:Csv:Encoding", "Latin1", "Exports:Destinations:demo-folder:Output:Format:Csv:Encoding is 'Latin1', which is not one of Utf8, Utf16.")]
    [InlineData("Destinations:demo-folder:Output:Format:Csv:Delimiter", "tab", "Exports:Destinations:demo-folder:Output:Format:Csv:Delimiter is 'tab', which is not a single character.")]
    [InlineData("Destinations:demo-folder:Output:MaxRowPerFile", "5", "Exports:Destinations:demo-folder:Output:MaxRowPerFile is not a known setting; did you mean Exports:Destinations:demo-folder:Output:MaxRowsPerFile?")]
    [InlineData("Destinations:demo-folder:Settings:pathh", "x", "Destination 'demo-folder': setting 'pathh' is not known; known settings: flushToDisk, path.")]
    [InlineData("Destinations:demo-folder:Output:Format:MaxDegreeOfParallelism", "-3", "Destination 'demo-folder': Output.Format.MaxDegreeOfParallelism must be 0 (every core) or more, not -3.")]
    [InlineData("Runs:MaxConcurentRuns", "4", "Exports:Runs:MaxConcurentRuns is not a known setting; did you mean Exports:Runs:MaxConcurrentRuns?")]
    [InlineData("Dataflows:demo:Audiences:0:Schedule:StartDate", "tomorrow", "Exports:Dataflows:demo:Audiences:0:Schedule:StartDate is 'tomorrow', which is not a date such as 2026-01-31.")]
    [InlineData("Runs:IncrementalOverlap", "5m", "Exports:Runs:IncrementalOverlap is '5m', which is not a duration such as 00:00:30.")]
    [InlineData("Destinations:demo-folder:Output:MaxRowsPerFile", "1.5", "Exports:Destinations:demo-folder:Output:MaxRowsPerFile is '1.5', which is not a whole number.")]
    // A scalar where a section belongs may be a pasted connection string: it is not repeated.
    [InlineData("Destinations:partner", "BlobEndpoint=https://a.example;SharedAccessSignature=sig=k3y-9e1f", "Exports:Destinations:partner is a single value, but it is a section with its own keys.")]
    public void Configuration_BadKeyOrValue_IsRefusedAtStartUp_NamingTheKeyTheValueAndWhatIsAllowed(string key, string value, string expected)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Exports:Destinations:demo-folder:Type"] = "local",
            ["Exports:Destinations:demo-folder:Settings:path"] = "/tmp/unused-exports-folder",
            ["Exports:Dataflows:demo:Source"] = "crm",
            ["Exports:Dataflows:demo:Destination"] = "demo-folder",
            ["Exports:Dataflows:demo:Attributes:0"] = "person.email",
            ["Exports:Dataflows:demo:Audiences:0:AudienceId"] = "vip",
            ["Exports:" + key] = value,
        };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddExports().BindConfiguration(configuration.GetSection(ExportsOptions.SectionName))
            .AddAudienceSource("crm", new InMemoryAudienceSource());
        using var provider = services.BuildServiceProvider();

        Validate(provider).Failures.Should().Equal(expected);
    }

    [Fact]
    public void Configuration_ValidValueOfEveryKind_BindsWithoutAProblem()
    {
        // The check parses each kind as the configuration binder's generated code does; a value the binder takes passes.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Exports:Destinations:drop:Type"] = "local",
            ["Exports:Destinations:drop:Settings:path"] = "/tmp/unused-exports-folder",
            ["Exports:Destinations:drop:Output:MaxRowsPerFile"] = " 250000 ",
            ["Exports:Destinations:drop:Output:Format:Compression"] = "gzip",
            ["Exports:Destinations:drop:Output:Format:Csv:Header"] = "False",
            ["Exports:Destinations:drop:Output:Format:Csv:Delimiter"] = ";",
            ["Exports:Runs:IncrementalOverlap"] = "00:10:00",
            ["Exports:Runs:MaxConcurrentRuns"] = "3",
        }).Build();
        var services = new ServiceCollection();
        services.AddExports().BindConfiguration(configuration.GetSection(ExportsOptions.SectionName));
        using var provider = services.BuildServiceProvider();

        // Reading the options runs the check: any problem would throw here.
        var options = provider.GetRequiredService<IOptions<ExportsOptions>>().Value;
        options.Destinations["drop"].Output.MaxRowsPerFile.Should().Be(250_000);
        options.Destinations["drop"].Output.Format.Compression.Should().Be(ExportCompression.Gzip);
        options.Destinations["drop"].Output.Format.Csv.Header.Should().BeFalse();
        options.Destinations["drop"].Output.Format.Csv.Delimiter.Should().Be(';');
        options.Runs.IncrementalOverlap.Should().Be(TimeSpan.FromMinutes(10));
        options.Runs.MaxConcurrentRuns.Should().Be(3);
    }

    [Fact]
    public void ConfigurationCheck_KeepsEveryOptionsTypeItWalks_ForTrimmedAndNativeAotApps()
    {
        // In a native AOT app, GetProperties sees only what the trimmer kept: a type reached from ExportsOptions without
        // its DynamicDependency would have every key reported unknown there, while this JIT-run test saw nothing wrong.
        var check = typeof(ExportsOptions).Assembly.GetType("Exports.Sdk.ConfigurationShapeChecker", throwOnError: true)!
            .GetMethod("Read", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;
        var kept = check.GetCustomAttributes(typeof(System.Diagnostics.CodeAnalysis.DynamicDependencyAttribute), inherit: false)
            .Cast<System.Diagnostics.CodeAnalysis.DynamicDependencyAttribute>()
            .Where(d => d.MemberTypes.HasFlag(System.Diagnostics.CodeAnalysis.DynamicallyAccessedMemberTypes.PublicProperties))
            .Select(d => d.Type)
            .ToHashSet();

        var walked = new HashSet<Type>();
        void Walk(Type type)
        {
            type = Nullable.GetUnderlyingType(type) ?? type;
            if (type == typeof(string) || type.IsPrimitive || type.IsEnum || type.Namespace == "System")
            {
                return;
            }

            if (type.IsGenericType)
            {
                // Dictionaries and lists: what they hold.
                Walk(type.GetGenericArguments()[^1]);
                return;
            }

            if (walked.Add(type))
            {
                foreach (var property in type.GetProperties().Where(p => p.SetMethod?.IsPublic == true))
                {
                    Walk(property.PropertyType);
                }
            }
        }

        Walk(typeof(ExportsOptions));

        walked.Should().Contain(typeof(DestinationDefinition)).And.Contain(typeof(CsvFormatOptions));
        kept.Should().BeEquivalentTo(walked);
    }

    [Fact]
    public void Configuration_EmptyValueOfANullableSetting_IsNull_NotAnError()
    {
        // JSON null and an empty environment variable arrive as "": the binder reads them as null, and so does the check.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Exports:Destinations:drop:Type"] = "local",
            ["Exports:Destinations:drop:Settings:path"] = "/tmp/unused-exports-folder",
            ["Exports:Destinations:drop:Output:MaxBytesPerFile"] = "",
            ["Exports:Destinations:drop:Output:Format:Csv:ByteOrderMark"] = "",
            // Quote's default is '"': empty turns quoting off (docs/configuration.md).
            ["Exports:Destinations:drop:Output:Format:Csv:Quote"] = "",
            // Deeper: a dataflow (a dictionary entry) with its own output, and a list whose keys are not 0, 1, 2.
            ["Exports:Dataflows:demo:Source"] = "crm",
            ["Exports:Dataflows:demo:Destination"] = "drop",
            ["Exports:Dataflows:demo:Attributes:0"] = "person.email",
            ["Exports:Dataflows:demo:Output:Format:Csv:Quote"] = "",
            ["Exports:Dataflows:demo:Audiences:0:AudienceId"] = "vip",
            ["Exports:Dataflows:demo:Audiences:3:AudienceId"] = "churned",
            ["Exports:Dataflows:demo:Audiences:3:Schedule:StartDate"] = "2026-12-01",
            ["Exports:Dataflows:demo:Audiences:3:Schedule:EndDate"] = "",
        }).Build();
        var services = new ServiceCollection();
        services.AddExports().BindConfiguration(configuration.GetSection(ExportsOptions.SectionName))
            .AddAudienceSource("crm", new InMemoryAudienceSource());
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<ExportsOptions>>().Value;
        var output = options.Destinations["drop"].Output;
        output.MaxBytesPerFile.Should().BeNull();
        output.Format.Csv.Quote.Should().BeNull();
        var dataflow = options.Dataflows["demo"];
        dataflow.Output!.Format.Csv.Quote.Should().BeNull();
        dataflow.Audiences.Select(a => a.AudienceId).Should().Equal("vip", "churned");
        dataflow.Audiences[1].Schedule!.EndDate.Should().BeNull();
    }

    [Fact]
    public void Configuration_EmptyValueInAListThatCodeAlsoFills_ClearsTheConfiguredEntryOnly()
    {
        // The binder appends configured entries after those added in code: entry 0 of the section is item 1 here.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Exports:Destinations:drop:Type"] = "local",
            ["Exports:Destinations:drop:Settings:path"] = "/tmp/unused-exports-folder",
            ["Exports:Dataflows:demo:Audiences:0:AudienceId"] = "from-configuration",
            ["Exports:Dataflows:demo:Audiences:0:Schedule:StartDate"] = "2026-12-01",
            ["Exports:Dataflows:demo:Audiences:0:Schedule:EndDate"] = "",
        }).Build();
        var services = new ServiceCollection();
        services.AddExports()
            .AddDataflow("demo", d =>
            {
                d.Source = "crm";
                d.Destination = "drop";
                d.Attributes.Add("person.email");
                d.Audiences.Add(new AudienceActivation
                {
                    AudienceId = "from-code",
                    Schedule = new ExportSchedule { StartDate = new DateOnly(2026, 12, 1), EndDate = new DateOnly(2027, 1, 1) },
                });
            })
            .BindConfiguration(configuration.GetSection(ExportsOptions.SectionName))
            .AddAudienceSource("crm", new InMemoryAudienceSource());
        using var provider = services.BuildServiceProvider();

        var audiences = provider.GetRequiredService<IOptions<ExportsOptions>>().Value.Dataflows["demo"].Audiences;
        audiences.Select(a => a.AudienceId).Should().Equal("from-code", "from-configuration");
        audiences[0].Schedule!.EndDate.Should().Be(new DateOnly(2027, 1, 1));
        audiences[1].Schedule!.EndDate.Should().BeNull();
    }

    [Fact]
    public void OptionsValue_FolderPathWithTrailingSlash_IsAccepted()
    {
        var services = new ServiceCollection();
        services.AddExports().AddLocalFolderDestination("x", "/tmp/unused-exports-folder", d => d.FolderPath = "crm/audiences/");
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IOptions<ExportsOptions>>().Value.Destinations["x"].FolderPath.Should().Be("crm/audiences/");
    }

    [Fact]
    public void OptionsValue_BadTemplate_ThrowsNamingDataflowAudienceAndProblem()
    {
        var services = new ServiceCollection();
        services.AddExports()
            .AddAudienceSource("src", new InMemoryAudienceSource())
            .AddLocalFolderDestination("x", "/tmp/unused-exports-folder")
            .AddDataflow("flow", f =>
            {
                f.Source = "src";
                f.Destination = "x";
                f.Attributes = ["id"];
                f.Audiences = [new AudienceActivation { AudienceId = "vip", FileNameTemplate = "%SEGMENT_ID%_%NOPE%" }];
            });
        using var provider = services.BuildServiceProvider();

        var failures = Validate(provider).Failures;

        failures.Should().Contain(f => f.Contains("Dataflow 'flow'", StringComparison.Ordinal) && f.Contains("audience 'vip'", StringComparison.Ordinal)
            && f.Contains("%NOPE%", StringComparison.Ordinal));
        failures.Should().Contain(f => f.Contains("Dataflow 'flow'", StringComparison.Ordinal) && f.Contains("%DESTINATION_NAME%", StringComparison.Ordinal));
    }

    [Fact]
    public void OptionsValue_EveryKindOfProblem_ReportsAllTogether()
    {
        var services = new ServiceCollection();
        services.AddSingleton(new DictionaryStore());
        services.AddExports()
            .AddDestinationProvider<DictionaryDestinationProvider>()
            .AddDestination("missing-setting", DictionaryDestinationProvider.TypeName)
            .AddDestination("unknown-type", "nope")
            .AddLocalFolderDestination("unknown-format", "/tmp/unused-exports-folder", d => d.Output.Format.Name = "xml")
            .AddDataflow("flow", f =>
            {
                f.Source = "ghost-source";
                f.Destination = "ghost-destination";
                f.Attributes = ["id"];
                f.Audiences = [new AudienceActivation { AudienceId = "vip", FileNameTemplate = "%DESTINATION_NAME%_%SEGMENT_ID%_%TIMESTAMP%_%DATETIME(YYYY)%" }];
            });
        using var provider = services.BuildServiceProvider();

        var error = Validate(provider);

        error.Failures.Should().Contain(f => f.Contains("'missing-setting'", StringComparison.Ordinal) && f.Contains("'container'", StringComparison.Ordinal))
            .And.Contain(f => f.Contains("'unknown-type'", StringComparison.Ordinal) && f.Contains("'nope'", StringComparison.Ordinal))
            .And.Contain(f => f.Contains("'unknown-format'", StringComparison.Ordinal) && f.Contains("'xml'", StringComparison.Ordinal))
            .And.Contain(f => f.Contains("'ghost-source'", StringComparison.Ordinal))
            .And.Contain(f => f.Contains("'ghost-destination'", StringComparison.Ordinal))
            .And.Contain(f => f.Contains("audience 'vip'", StringComparison.Ordinal) && f.Contains("%TIMESTAMP%", StringComparison.Ordinal));
        error.Message.Should().Contain("missing-setting").And.Contain("unknown-type").And.Contain("unknown-format").And.Contain("ghost-source");
    }

    [Fact]
    public async Task StartAsync_InvalidOptions_HostFailsToStart()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddExports().AddDestination("x", "nope");
        using var host = builder.Build();

        var act = () => host.StartAsync();

        (await act.Should().ThrowAsync<OptionsValidationException>()).Which.Message.Should().Contain("'nope'");
    }

    [Fact]
    public void AddExports_CalledTwice_RegistersEverythingOnce()
    {
        var services = new ServiceCollection();
        services.AddSingleton(new DictionaryStore());
        services.AddExports().AddDestinationProvider<DictionaryDestinationProvider>();
        services.AddExports().AddDestinationProvider<DictionaryDestinationProvider>().AddDestination("x", "nope");
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IDestinationCatalog>().Providers.Select(p => p.Type).Should().OnlyHaveUniqueItems().And.HaveCount(2);
        provider.GetServices<IExportFormat>().Select(f => f.Name).Should().BeEquivalentTo(["csv", "jsonl", "json"]);
        // Counted, not resolved: the runner opens the store, which needs the (here invalid) options.
        services.Count(d => d.ServiceType == typeof(IExportRunner)).Should().Be(1);
        provider.GetServices<IDestinationCatalog>().Should().ContainSingle();
        provider.GetServices<IValidateOptions<ExportsOptions>>().Should().ContainSingle();
        provider.GetServices<IPostConfigureOptions<ExportsOptions>>().Should().ContainSingle();
        Validate(provider).Failures.Should().ContainSingle("a problem is reported once, not once per AddExports call");
    }

    [Fact]
    public void AddExports_ReturnsBuilderOverTheSameServices()
    {
        var services = new ServiceCollection();

        var builder = services.AddExports();

        builder.Services.Should().BeSameAs(services);
    }

    [Fact]
    public async Task AddDestination_InMemoryProviderFromTestingPackage_ReceivesFiles()
    {
        var services = new ServiceCollection();
        services.AddExports().UseInMemoryExportStore()
            .AddDestinationProvider<InMemoryDestinationProvider>()
            .AddDestination("mem", InMemoryDestinationProvider.TypeName, d => d.Output.Format.Name = "jsonl")
            .AddAudienceSource("src", new SyntheticAudienceSource().AddAudience("seg", "Segment", 10))
            .AddDataflow("flow", f =>
            {
                f.Source = "src";
                f.Destination = "mem";
                f.Attributes = ["profileId", "person.email"];
                f.Audiences = [new AudienceActivation { AudienceId = "seg", FileNameTemplate = "%DESTINATION_NAME%_%SEGMENT_ID%" }];
            });
        await using var provider = services.BuildServiceProvider();

        var result = await provider.GetRequiredService<IExportRunner>().RunAsync(
            provider.GetRequiredService<IOptions<ExportsOptions>>().Value.GetDataflow("flow"), new ExportRunRequest { RunId = "r" });

        result.Status.Should().Be(ExportRunStatus.Succeeded, string.Join("; ", result.Errors));
        var destination = provider.GetRequiredService<IDestinationCatalog>().GetDestination("mem").Should().BeOfType<InMemoryDestination>().Subject;
        destination.Files.Keys.Should().BeEquivalentTo(["mem_seg.jsonl", "manifest-mem-r.json"]);
        destination.OpenWriters.Should().Be(0);
        Encoding.UTF8.GetString(destination.Files["mem_seg.jsonl"]).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("person").GetProperty("email").GetString())
            .Should().HaveCount(10).And.OnlyContain(e => e!.EndsWith("@example.com", StringComparison.Ordinal));
    }

    private static OptionsValidationException Validate(IServiceProvider provider) =>
        FluentActions.Invoking(() => provider.GetRequiredService<IOptions<ExportsOptions>>().Value)
            .Should().Throw<OptionsValidationException>().Which;
}
