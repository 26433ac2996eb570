using Azure.Core;
using Exports.Sdk.Destinations.AmazonS3;
using Exports.Sdk.Destinations.AzureBlob;
using Exports.Sdk.Destinations.Sftp;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Exports.Sdk.Destinations.Tests.DependencyInjection;

public class RegistrationTests
{
    [Fact]
    public void AddProviders_IsIdempotent_AndTheCatalogListsEveryProvider()
    {
        var services = new ServiceCollection();
        services.AddExports().AddAmazonS3Destinations().AddAzureBlobDestinations().AddSftpDestinations().AddAmazonS3Destinations().AddSftpDestinations();
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IDestinationCatalog>().Providers.Select(p => p.Type).Should().Equal("local", "amazon-s3", "azure-blob", "sftp");
    }

    [Fact]
    public void TypedOptions_AreNamedOptionsPerDestination_BoundFromTheSettingStrings()
    {
        var services = new ServiceCollection();
        services.AddExports().AddAmazonS3Destinations().AddSftpDestinations()
            .AddDestination("ad-platform", "amazon-s3", d => (d.Settings["bucket"], d.Settings["partSize"], d.Settings["requestTimeout"]) = ("partner-drop", "16MiB", "30s"))
            .AddDestination("landing", "sftp", d =>
                (d.Settings["host"], d.Settings["username"], d.Settings["password"], d.Settings["allowUnknownHostKey"]) = ("sftp.example.com", "u", "p", "true"));
        using var provider = services.BuildServiceProvider();

        var s3 = provider.GetRequiredService<IOptionsMonitor<AmazonS3DestinationOptions>>().Get("ad-platform");
        var sftp = provider.GetRequiredService<IOptionsMonitor<SftpDestinationOptions>>().Get("landing");

        (s3.Bucket, s3.PartSize, s3.RequestTimeout, s3.MaxRetryAttempts).Should().Be(("partner-drop", 16L << 20, TimeSpan.FromSeconds(30), 3));
        (sftp.Host, sftp.Port, sftp.AllowUnknownHostKey).Should().Be(("sftp.example.com", 22, true));
    }

    [Fact]
    public void AddDestination_WritesSettings_AndCreatesTheDestination()
    {
        var services = new ServiceCollection();
        services.AddExports()
            .AddAmazonS3Destination("s3", o => (o.Bucket, o.Region) = ("my-bucket", "eu-west-1"), d => d.FolderPath = "out")
            .AddSftpDestination("eloqua", o =>
            {
                (o.Host, o.Username, o.Password) = ("sftp.example.com", "u", "p");
                o.HostKeyFingerprints.Add("SHA256:pm0x0d7f5nblojKVrvWiQHmZHSb8NGZZFV8brw/cMmQ");
            }, MarketingPresets.OracleEloqua.ApplyTo);
        using var provider = services.BuildServiceProvider();
        var catalog = provider.GetRequiredService<IDestinationCatalog>();

        var s3 = catalog.GetDefinition("s3");
        s3.Type.Should().Be("amazon-s3");
        s3.Settings["bucket"].Should().Be("my-bucket");
        s3.FolderPath.Should().Be("out");
        catalog.GetDestination("s3").Name.Should().Be("s3");
        catalog.GetDefinition("eloqua").Output.Format.Csv.QuoteAll.Should().BeTrue();
        catalog.GetDestination("eloqua").Should().NotBeNull();
    }

    [Fact]
    public void AzureTokenCredential_IsRegisteredAsAKeyedService_AndUsed()
    {
        var services = new ServiceCollection();
        var credential = new StaticCredential();
        services.AddExports().AddAzureBlobDestination("lake", o => (o.AccountUrl, o.Container, o.Credential) = (new Uri("https://acct.blob.core.windows.net"), "exports", credential));
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredKeyedService<TokenCredential>("lake").Should().BeSameAs(credential);
        provider.GetRequiredService<IDestinationCatalog>().GetDestination("lake").Name.Should().Be("lake");
        provider.GetRequiredService<IDestinationCatalog>().GetDefinition("lake").Settings.Should().ContainKey("accountUrl").And.NotContainKey("credential");
    }

    [Fact]
    public void InvalidDestinations_FailStartupValidation_WithEveryProblem()
    {
        var services = new ServiceCollection();
        services.AddExports()
            .AddAmazonS3Destinations().AddAzureBlobDestinations().AddSftpDestinations()
            .AddDestination("s3", AmazonS3DestinationProvider.TypeName)
            .AddDestination("blob", AzureBlobDestinationProvider.TypeName)
            .AddDestination("ftp", SftpDestinationProvider.TypeName);
        using var provider = services.BuildServiceProvider();

        var read = () => provider.GetRequiredService<IOptions<ExportsOptions>>().Value;

        var failures = read.Should().Throw<OptionsValidationException>().Which.Failures;
        failures.Should().Contain(f => f.StartsWith("Destination 's3': setting 'bucket'", StringComparison.Ordinal))
            .And.Contain(f => f.StartsWith("Destination 'blob': set one of", StringComparison.Ordinal))
            .And.Contain(f => f.StartsWith("Destination 'ftp': setting 'host'", StringComparison.Ordinal));
    }

    private sealed class StaticCredential : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) => new("token", DateTimeOffset.MaxValue);

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) => new(GetToken(requestContext, cancellationToken));
    }
}
