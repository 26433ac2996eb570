using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit;

namespace Exports.Sdk.Testing;

/// <summary>
/// The behaviour every <see cref="IDestinationProvider"/> must show, as xunit tests: it registers through
/// <c>AddDestinationProvider</c> like the built-in ones and appears in the catalog; a valid definition passes
/// validation and creates a destination of that name; each missing required setting is reported naming the destination
/// and the setting, and such a definition is refused at start-up and by <see cref="IDestinationProvider.Create"/>.
/// </summary>
[SuppressMessage("Naming", "CA1707:Identifiers should not contain underscores", Justification = "Test names read Method_Scenario_Expected.")]
public abstract class DestinationProviderConformanceTests
{
    /// <summary>Creates the provider under test.</summary>
    /// <returns>The provider.</returns>
    protected abstract IDestinationProvider CreateProvider();

    /// <summary>A definition of the provider's type that passes validation (it need not reach a live store).</summary>
    /// <returns>The definition.</returns>
    protected abstract DestinationDefinition CreateValidDefinition();

    /// <summary>The provider registers through the public builder, is listed in the catalog and creates its destinations.</summary>
    [Fact]
    public void AddDestinationProvider_ListsItInTheCatalog_AndCreatesTheDestination()
    {
        var provider = CreateProvider();
        var definition = CreateValidDefinition();
        var services = new ServiceCollection();
        services.AddExports().UseInMemoryExportStore().AddDestinationProvider(provider)
            .AddDestination(definition.Name, provider.Descriptor.Type, d => Copy(definition, d));
        using var built = services.BuildServiceProvider();

        _ = built.GetRequiredService<IOptions<ExportsOptions>>().Value;
        var catalog = built.GetRequiredService<IDestinationCatalog>();
        Assert.Contains(catalog.Providers, p => p.Type == provider.Descriptor.Type);
        Assert.Equal(definition.Name, catalog.GetDestination(definition.Name).Name);
    }

    /// <summary>A valid definition reports nothing.</summary>
    [Fact]
    public void Validate_ValidDefinition_ReportsNothing() => Assert.Empty(CreateProvider().Validate(CreateValidDefinition()));

    /// <summary>Each required setting left out is reported, naming the destination and the setting.</summary>
    [Fact]
    public void Validate_RequiredSettingMissing_NamesTheDestinationAndTheSetting()
    {
        var provider = CreateProvider();
        foreach (var setting in provider.Descriptor.Settings.Where(s => s.IsRequired))
        {
            var definition = CreateValidDefinition();
            Assert.True(definition.Settings.Remove(setting.Name), $"The valid definition has no required setting '{setting.Name}'.");

            var problem = Assert.Single(provider.Validate(definition), p => p.Contains($"'{setting.Name}'", StringComparison.Ordinal));
            Assert.Contains($"Destination '{definition.Name}'", problem, StringComparison.Ordinal);
        }
    }

    /// <summary>A definition with a required setting missing is refused at start-up and by <see cref="IDestinationProvider.Create"/>.</summary>
    [Fact]
    public void Create_RequiredSettingMissing_IsRefused()
    {
        var provider = CreateProvider();
        var required = provider.Descriptor.Settings.FirstOrDefault(s => s.IsRequired);
        var definition = CreateValidDefinition();
        if (required is not null)
        {
            definition.Settings.Remove(required.Name);
        }
        else
        {
            // Nothing is required: an unknown setting must be refused instead.
            definition.Settings["no-such-setting"] = "x";
        }

        var services = new ServiceCollection();
        services.AddExports().UseInMemoryExportStore().AddDestinationProvider(provider)
            .AddDestination(definition.Name, provider.Descriptor.Type, d => Copy(definition, d));
        using var built = services.BuildServiceProvider();

        var startUp = Assert.Throws<OptionsValidationException>(() => built.GetRequiredService<IOptions<ExportsOptions>>().Value);
        Assert.Contains($"Destination '{definition.Name}'", startUp.Message, StringComparison.Ordinal);
        var create = Assert.Throws<ExportValidationException>(() => provider.Create(definition, built));
        Assert.Contains(required?.Name ?? "no-such-setting", create.Message, StringComparison.Ordinal);
    }

    private static void Copy(DestinationDefinition from, DestinationDefinition to)
    {
        foreach (var (key, value) in from.Settings)
        {
            to.Settings[key] = value;
        }

        to.FolderPath = from.FolderPath;
    }
}
