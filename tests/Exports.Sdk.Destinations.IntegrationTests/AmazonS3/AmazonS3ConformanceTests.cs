using Amazon.S3;
using Exports.Sdk.Destinations.AmazonS3;
using Exports.Sdk.Destinations.IntegrationTests.Infrastructure;
using Exports.Sdk.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Exports.Sdk.Destinations.IntegrationTests.AmazonS3;

/// <summary>The destination conformance suite against fauxqs, with 5 MiB parts (the large file spans 4 parts).</summary>
public sealed class AmazonS3ConformanceTests : DestinationConformanceTests
{
    private readonly string _prefix = "conformance/" + Guid.NewGuid().ToString("N");
    private readonly AmazonS3Client _raw = S3TestStore.Client(TestServices.Current.S3ServiceUrl);
    private string _bucket = "";

    protected override int LargeFileSize => (int)(3.5 * AmazonS3DestinationOptions.MinimumPartSize);

    protected override async ValueTask<IDestination> CreateDestinationAsync()
    {
        _bucket = await S3TestStore.BucketAsync();
        var definition = new DestinationDefinition { Name = "s3-conformance", Type = AmazonS3DestinationProvider.TypeName };
        DestinationSettingsBinder.Write(S3TestStore.Options(_bucket, _prefix), definition.Settings);
        var provider = new AmazonS3DestinationProvider();
        provider.Validate(definition).Should().BeEmpty();
        return provider.Create(definition, new ServiceCollection().BuildServiceProvider());
    }

    protected override async ValueTask<byte[]?> ReadAsync(string path) => await S3TestStore.ReadAsync(_raw, _bucket, _prefix + "/" + path);

    protected override async ValueTask<IReadOnlyList<string>> ListRawAsync() =>
        [.. (await S3TestStore.ListAsync(_raw, _bucket, _prefix + "/")).Select(o => o.Key[(_prefix.Length + 1)..])];

    // fauxqs cannot list pending uploads (no ListMultipartUploads or ListParts): the parts it acknowledged to the writer.
    protected override ValueTask<long> StagedBytesAsync(string path, IDestinationWriter writer) => new(((BufferedPartWriter)writer).BytesUploaded);

    protected override ValueTask CleanUpAsync()
    {
        _raw.Dispose();
        return ValueTask.CompletedTask;
    }
}
