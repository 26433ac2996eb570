using Azure;
using Azure.Storage;
using Exports.Sdk.Destinations.AzureBlob;

namespace Exports.Sdk.Destinations.Tests.AzureBlob;

public class AzureBlobDestinationProviderTests
{
    private const string AccountKey = "c2VjcmV0LWFjY291bnQta2V5LXZhbHVlLTEyMzQ1Njc4OTA=";
    private const string Signature = "sig-value-secret-1234";

    [Fact]
    public void Descriptor_DescribesThreeAuthSchemes_AndSecrets()
    {
        var descriptor = new AzureBlobDestinationProvider().Descriptor;

        descriptor.Type.Should().Be("azure-blob");
        descriptor.AuthSchemes.Should().Equal("connectionString", "sasUrl", "tokenCredential");
        descriptor.HostCredentialSchemes.Should().Equal("tokenCredential");
        descriptor.Settings.Where(s => s.IsSecret).Select(s => s.Name).Should().BeEquivalentTo("connectionString", "containerSasUrl");
    }

    [Fact]
    public void Validate_ReportsEveryProblem_WithoutRepeatingSecrets()
    {
        var definition = new DestinationDefinition { Name = "blob", Type = "azure-blob" };
        definition.Settings["connectionString"] = $"AccountKey={AccountKey}";
        definition.Settings["containerSasUrl"] = $"not a url sig={Signature}";
        definition.Settings["blockSize"] = "1KiB";
        definition.Settings["transferChecksum"] = "sha1";

        var problems = new AzureBlobDestinationProvider().Validate(definition);

        problems.Should().OnlyContain(p => p.StartsWith("Destination 'blob': ", StringComparison.Ordinal));
        string.Join(" ", problems).Should().Contain("'containerSasUrl' must be").And.Contain("'connectionString' is not a storage connection string")
            .And.Contain("'blockSize'").And.Contain("'transferChecksum' must be md5, crc64 or none, not 'sha1'")
            .And.NotContain(AccountKey).And.NotContain(Signature);
    }

    [Theory]
    [InlineData("https://acct.blob.core.windows.net/?sv=2025-01-05&sp=cwl&sig=" + Signature, "without a query")]
    [InlineData("ftp://bob:" + Signature + "@acct.blob.core.windows.net", "not a 'ftp' URL")]
    [InlineData("https://bob:" + Signature + "@acct.blob.core.windows.net", "without a user name or password")]
    public void Validate_ABadAccountUrl_SaysWhatIsWrong_WithoutRepeatingIt(string accountUrl, string expected)
    {
        // A pasted SAS URL in the wrong field must not come back in a 400's detail.
        var definition = new DestinationDefinition { Name = "blob", Type = "azure-blob" };
        definition.Settings["accountUrl"] = accountUrl;
        definition.Settings["container"] = "landing";

        var problems = string.Join(" ", new AzureBlobDestinationProvider().Validate(definition));

        problems.Should().Contain("setting 'accountUrl' must be the account's blob endpoint").And.Contain(expected).And.NotContain(Signature);
    }

    [Theory]
    [InlineData("AccountName=dev;AccountKey=not-base64!!;EndpointSuffix=core.windows.net")]
    [InlineData("BlobEndpoint=not a url;SharedAccessSignature=sv=2025-01-05&sig=abc")]
    public void Validate_MalformedConnectionString_IsRefusedAtStartUp_NotAtTheFirstRun(string connectionString)
    {
        // Issue 21, item 11: these passed validation and then crashed the run with an unhandled exception.
        var definition = new DestinationDefinition { Name = "blob", Type = "azure-blob" };
        definition.Settings["connectionString"] = connectionString;
        definition.Settings["container"] = "landing";

        var problems = new AzureBlobDestinationProvider().Validate(definition);

        problems.Should().ContainSingle().Which.Should().Contain("'connectionString' is not a storage connection string").And.NotContain("not-base64").And.NotContain("sig=abc");
    }

    [Fact]
    public void Validate_ASasUrlWithAMalformedTime_IsAProblemNamingTheSetting_NotAnException()
    {
        // BlobUriBuilder throws on a malformed 'se': that used to escape validation (a 500 over HTTP).
        var definition = new DestinationDefinition { Name = "blob", Type = "azure-blob" };
        definition.Settings["containerSasUrl"] = $"https://acct.blob.core.windows.net/landing?sv=2025-01-05&se=tomorrow&sp=cwl&sig={Signature}";

        var problems = new AzureBlobDestinationProvider().Validate(definition);

        problems.Should().ContainSingle().Which.Should().Contain("setting 'containerSasUrl' holds a SAS token that cannot be read").And.NotContain(Signature);
    }

    [Fact]
    public void SasUrl_NamesTheContainer_AndOptionsRoundTrip()
    {
        var options = new AzureBlobDestinationOptions
        {
            ContainerSasUrl = new Uri($"https://acct.blob.core.windows.net/landing?sv=2025-01-05&sp=cwl&sig={Signature}"),
            Prefix = "in",
            BlockSize = 4 << 20,
            TransferChecksum = StorageChecksumAlgorithm.StorageCrc64,
            ServiceVersion = Azure.Storage.Blobs.BlobClientOptions.ServiceVersion.V2026_06_06,
        };
        var definition = new DestinationDefinition { Name = "blob" };

        DestinationSettingsBinder.Write(options, definition.Settings);
        var read = DestinationSettingsBinder.Bind<AzureBlobDestinationOptions>(definition, out var problems);

        problems.Should().BeEmpty();
        read.Container.Should().Be("landing");
        read.ServiceVersion.Should().Be(options.ServiceVersion);
        read.TransferChecksum.Should().Be(StorageChecksumAlgorithm.StorageCrc64);
        read.ToString().Should().NotContain(Signature).And.Contain("container 'landing'").And.Contain("sasUrl");
    }

    [Theory]
    [InlineData(403, "AuthorizationPermissionMismatch", false, "lacks the write")]
    [InlineData(403, "AuthenticationFailed", false, "rejected the credentials")]
    [InlineData(404, "ContainerNotFound", false, "the container 'c' does not exist")]
    [InlineData(503, "ServerBusy", true, "ServerBusy")]
    [InlineData(500, "InternalError", true, "InternalError")]
    [InlineData(0, null, true, "cannot reach the Blob endpoint")]
    public void ErrorMapper_MapsServiceErrors(int status, string? code, bool transient, string expected)
    {
        var error = new RequestFailedException(status, "service text", code, null);

        var mapped = AzureBlobErrorMapper.Map(error, "blob", "c", AzureBlobOperation.PutBlock, "b", CancellationToken.None)!;

        mapped.IsTransient.Should().Be(transient);
        mapped.Message.Should().StartWith("Destination 'blob': ").And.Contain(expected);
    }
}
