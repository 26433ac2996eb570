using Exports.Sdk.Testing;

namespace Exports.Sdk.Tests.Destinations;

public sealed class LocalFolderDestinationProviderConformanceTests : DestinationProviderConformanceTests
{
    protected override IDestinationProvider CreateProvider() => new LocalFolderDestinationProvider();

    protected override DestinationDefinition CreateValidDefinition() => new()
    {
        Name = "drop",
        Type = LocalFolderDestinationProvider.TypeName,
        Settings = { ["path"] = Path.Combine(Path.GetTempPath(), "exports-provider-conformance") },
    };
}
