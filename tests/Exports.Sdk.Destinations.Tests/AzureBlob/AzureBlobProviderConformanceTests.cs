using Exports.Sdk.Destinations.AzureBlob;
using Exports.Sdk.Testing;

namespace Exports.Sdk.Destinations.Tests.AzureBlob;

public sealed class AzureBlobProviderConformanceTests : DestinationProviderConformanceTests
{
    protected override IDestinationProvider CreateProvider() => new AzureBlobDestinationProvider();

    // Creating the destination does not reach the store: the development account's well-known connection string does.
    protected override DestinationDefinition CreateValidDefinition() => new()
    {
        Name = "blob",
        Type = AzureBlobDestinationProvider.TypeName,
        Settings =
        {
            ["connectionString"] = "UseDevelopmentStorage=true",
            ["container"] = "exports",
        },
    };
}
