using Exports.Sdk.Destinations.AmazonS3;
using Exports.Sdk.Testing;

namespace Exports.Sdk.Destinations.Tests.AmazonS3;

public sealed class AmazonS3ProviderConformanceTests : DestinationProviderConformanceTests
{
    protected override IDestinationProvider CreateProvider() => new AmazonS3DestinationProvider();

    // Creating the destination does not reach the store: any endpoint does.
    protected override DestinationDefinition CreateValidDefinition() => new()
    {
        Name = "s3",
        Type = AmazonS3DestinationProvider.TypeName,
        Settings =
        {
            ["bucket"] = "exports",
            ["serviceUrl"] = "http://127.0.0.1:9",
            ["accessKeyId"] = "key-id",
            ["secretAccessKey"] = "not-a-real-secret",
        },
    };
}
