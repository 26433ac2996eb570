using System.Net;
using Amazon.S3;
using Exports.Sdk.Destinations.AmazonS3;

namespace Exports.Sdk.Destinations.Tests.AmazonS3;

public class AmazonS3DestinationProviderTests
{
    private const string Secret = "s3-secret-value-91be";

    [Fact]
    public void Descriptor_DescribesTypeSettingsSecretsAndAuthSchemes()
    {
        var descriptor = new AmazonS3DestinationProvider().Descriptor;

        descriptor.Type.Should().Be("amazon-s3");
        descriptor.AuthSchemes.Should().Equal("accessKey", "defaultCredentials");
        descriptor.HostCredentialSchemes.Should().Equal("defaultCredentials");
        descriptor.Settings.Single(s => s.Name == "bucket").IsRequired.Should().BeTrue();
        descriptor.Settings.Where(s => s.IsSecret).Select(s => s.Name).Should().BeEquivalentTo("secretAccessKey", "sessionToken");
        descriptor.Settings.Single(s => s.Name == "partSize").DefaultValue.Should().Be("8MiB");
    }

    [Fact]
    public void Validate_ReportsEveryProblem_NamingDestinationAndSetting_NeverTheSecret()
    {
        var definition = new DestinationDefinition { Name = "s3", Type = "amazon-s3" };
        definition.Settings["secretAccessKey"] = Secret;
        definition.Settings["partSize"] = "1MiB";
        definition.Settings["serviceUrl"] = "ftp://nope";
        definition.Settings["secretKey"] = Secret;

        var problems = new AmazonS3DestinationProvider().Validate(definition);

        problems.Should().HaveCount(5).And.OnlyContain(p => p.StartsWith("Destination 's3': setting", StringComparison.Ordinal));
        problems.Should().Contain(p => p.Contains("'bucket'", StringComparison.Ordinal))
            .And.Contain(p => p.Contains("'partSize'", StringComparison.Ordinal))
            .And.Contain(p => p.Contains("'accessKeyId' and 'secretAccessKey' go together", StringComparison.Ordinal))
            .And.Contain(p => p.Contains("'serviceUrl'", StringComparison.Ordinal))
            .And.Contain(p => p.Contains("'secretKey' is not known", StringComparison.Ordinal));
        string.Join(" ", problems).Should().NotContain(Secret);
    }

    [Fact]
    public void Options_RoundTripThroughSettings_AndToStringHidesSecrets()
    {
        var options = new AmazonS3DestinationOptions
        {
            Bucket = "bucket-1",
            Prefix = "exports",
            Region = "eu-west-1",
            AccessKeyId = "AKIAEXAMPLE",
            SecretAccessKey = Secret,
            SessionToken = "session-token-secret",
            ServiceUrl = new Uri("https://minio.example.com:9000"),
            ForcePathStyle = true,
            PartSize = 16 << 20,
            MaxRetryAttempts = 5,
            RetryDelay = TimeSpan.FromMilliseconds(250),
            RequestTimeout = TimeSpan.FromSeconds(30),
        };
        var definition = new DestinationDefinition { Name = "s3" };

        DestinationSettingsBinder.Write(options, definition.Settings);
        var read = DestinationSettingsBinder.Bind<AmazonS3DestinationOptions>(definition, out var problems);

        problems.Should().BeEmpty();
        read.Should().BeEquivalentTo(options);
        options.ToString().Should().NotContain(Secret).And.NotContain("session-token-secret").And.NotContain("AKIAEXAMPLE").And.Contain("s3://bucket-1/exports");
    }

    [Theory]
    [InlineData("SlowDown", HttpStatusCode.ServiceUnavailable, true, "SlowDown")]
    [InlineData("InternalError", HttpStatusCode.InternalServerError, true, "InternalError")]
    [InlineData("NoSuchBucket", HttpStatusCode.NotFound, false, "the bucket 'b' does not exist")]
    [InlineData("AccessDenied", HttpStatusCode.Forbidden, false, "lack the permission s3:PutObject")]
    [InlineData("InvalidAccessKeyId", HttpStatusCode.Forbidden, false, "the access key id is not known")]
    [InlineData("SignatureDoesNotMatch", HttpStatusCode.Forbidden, false, "'secretAccessKey' does not match")]
    public void ErrorMapper_MapsS3Errors(string code, HttpStatusCode status, bool transient, string expected)
    {
        var error = new AmazonS3Exception("server text") { ErrorCode = code, StatusCode = status };

        var mapped = AmazonS3ErrorMapper.Map(error, "s3", "b", AmazonS3Operation.UploadPart, "k", CancellationToken.None)!;

        mapped.IsTransient.Should().Be(transient);
        mapped.Message.Should().StartWith("Destination 's3': ").And.Contain(expected);
        mapped.InnerException.Should().BeSameAs(error);
    }

    [Fact]
    public void ErrorMapper_LetsCancellationThrough()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        AmazonS3ErrorMapper.Map(new OperationCanceledException(cts.Token), "s3", "b", AmazonS3Operation.PutObject, "k", cts.Token).Should().BeNull();
        AmazonS3ErrorMapper.Map(new TaskCanceledException(), "s3", "b", AmazonS3Operation.PutObject, "k", CancellationToken.None)!.IsTransient.Should().BeTrue();
    }
}
