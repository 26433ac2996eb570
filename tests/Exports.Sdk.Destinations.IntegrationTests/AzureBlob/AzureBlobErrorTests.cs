using System.Diagnostics;
using Azure.Storage;
using Azure.Storage.Sas;
using Exports.Sdk.Destinations.AzureBlob;
using Exports.Sdk.Destinations.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Exports.Sdk.Destinations.IntegrationTests.AzureBlob;

/// <summary>Connection string and SAS URL auth, and bad input: wrong key, read-only SAS, missing container, unreachable or hanging endpoint.</summary>
public sealed class AzureBlobErrorTests
{
    private static readonly TestServices Services = TestServices.Current;

    private static ExportHarness App(Action<AzureBlobDestinationOptions> configure, long members = 1_000) =>
        ExportHarness.Create(b => b.AddAzureBlobDestination(ExportHarness.DestinationName, blob =>
        {
            // A short attempt timeout only where the endpoint never answers: a busy machine can take longer against Azurite.
            (blob.Prefix, blob.BlockSize, blob.MaxRetryAttempts, blob.RetryDelay, blob.RequestTimeout) = ("errors", 1 << 20, 1, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(30));
            configure(blob);
        }), members);

    private static async Task<Uri> ContainerSasAsync(BlobContainerSasPermissions permissions)
    {
        var container = await AzureTestStore.ContainerAsync();
        var sas = new BlobSasBuilder { BlobContainerName = container.Name, Resource = "c", ExpiresOn = DateTimeOffset.UtcNow.AddHours(1) };
        sas.SetPermissions(permissions);
        var query = sas.ToSasQueryParameters(new StorageSharedKeyCredential(Services["AZURITE_ACCOUNT"], Services.AzuriteKey));
        return new Uri($"{Services.AzuriteBlobEndpoint}/{container.Name}?{query}");
    }

    private static string SignatureOf(Uri sasUrl) => System.Web.HttpUtility.ParseQueryString(sasUrl.Query)["sig"]!;

    [Fact]
    public async Task ConnectionString_ExportsAndPassesTheConnectionTest()
    {
        var container = await AzureTestStore.ContainerAsync();
        await using var app = App(blob => (blob.ConnectionString, blob.Container) = (Services.AzuriteConnectionString, container.Name));

        var test = await app.Destination.TestConnectionAsync();
        var result = await app.RunAsync(new ExportRunRequest());

        test.Succeeded.Should().BeTrue(test.Message);
        result.Status.Should().Be(ExportRunStatus.Succeeded, string.Join("; ", result.Errors));
        Secrets.ShouldNotAppearIn([Services.AzuriteKey], app.Logs.AllText, test.Message, app.Definition.ToString());
    }

    [Fact]
    public async Task SasUrl_ExportsRoundTripAndPassesTheConnectionTest()
    {
        var sasUrl = await ContainerSasAsync(BlobContainerSasPermissions.Read | BlobContainerSasPermissions.Write | BlobContainerSasPermissions.Delete | BlobContainerSasPermissions.List | BlobContainerSasPermissions.Create);
        var container = await AzureTestStore.ContainerAsync();
        await using var app = App(blob => blob.ContainerSasUrl = sasUrl, members: 20_000);

        var test = await app.Destination.TestConnectionAsync();
        var result = await app.RunAsync(new ExportRunRequest());

        test.Succeeded.Should().BeTrue(test.Message);
        await ExportVerifier.VerifyAsync(result, async path => await container.GetBlobClient("errors/" + path).OpenReadAsync());
        Secrets.ShouldNotAppearIn([SignatureOf(sasUrl), Uri.EscapeDataString(SignatureOf(sasUrl))], app.Logs.AllText, test.Message);
    }

    [Fact]
    public async Task ReadOnlySas_FailsWithAClearPermissionError()
    {
        var sasUrl = await ContainerSasAsync(BlobContainerSasPermissions.Read | BlobContainerSasPermissions.List);
        await using var app = App(blob => blob.ContainerSasUrl = sasUrl);

        var test = await app.Destination.TestConnectionAsync();
        var result = await app.RunAsync(new ExportRunRequest());

        test.Succeeded.Should().BeFalse();
        test.MissingPermission.Should().Be("write");
        test.Message.Should().Contain("Destination 'target'").And.Contain("lack the write");
        result.Status.Should().Be(ExportRunStatus.Failed);
        result.Errors.Should().ContainSingle().Which.Should().Contain("Destination 'target'").And.Contain("write").And.Contain("read-only SAS");
        Secrets.ShouldNotAppearIn([SignatureOf(sasUrl), Uri.EscapeDataString(SignatureOf(sasUrl))], app.Logs.AllText, test.Message, string.Join(" ", result.Errors));
    }

    [Fact]
    public async Task WrongAccountKey_FailsNamingTheCredentials_WithoutShowingAnyKey()
    {
        var container = await AzureTestStore.ContainerAsync();
        var wrongKey = Convert.ToBase64String(Enumerable.Range(0, 64).Select(i => (byte)i).ToArray());
        var connectionString = Services.AzuriteConnectionString.Replace(Services.AzuriteKey, wrongKey, StringComparison.Ordinal);
        await using var app = App(blob => (blob.ConnectionString, blob.Container) = (connectionString, container.Name));

        var test = await app.Destination.TestConnectionAsync();
        var result = await app.RunAsync(new ExportRunRequest());

        test.Succeeded.Should().BeFalse();
        test.Message.Should().Contain("Destination 'target'").And.Match(m => m.Contains("credentials", StringComparison.Ordinal));
        result.Errors.Should().ContainSingle().Which.Should().Contain("Destination 'target'").And.Contain("credentials");
        Secrets.ShouldNotAppearIn([wrongKey, Services.AzuriteKey, connectionString], app.Logs.AllText, test.Message, string.Join(" ", result.Errors));
    }

    [Fact]
    public async Task MissingContainer_FailsNamingTheContainer()
    {
        await using var app = App(blob => (blob.ConnectionString, blob.Container) = (Services.AzuriteConnectionString, "no-such-container-" + Guid.NewGuid().ToString("N")[..8]));

        var test = await app.Destination.TestConnectionAsync();
        var result = await app.RunAsync(new ExportRunRequest());

        test.Message.Should().Contain("container 'no-such-container-").And.Contain("does not exist");
        result.Errors.Should().ContainSingle().Which.Should().Contain("Destination 'target'").And.Contain("does not exist");
        Secrets.ShouldNotAppearIn([Services.AzuriteKey], app.Logs.AllText);
    }

    [Fact]
    public async Task UnreachableOrHangingEndpoint_FailsWithinTheTimeout()
    {
        using var hole = new BlackHoleServer();
        var closed = Services.AzuriteConnectionString.Replace($":{Services["AZURITE_PORT"]}/", $":{BlackHoleServer.ClosedPort()}/", StringComparison.Ordinal);
        var hanging = Services.AzuriteConnectionString.Replace($":{Services["AZURITE_PORT"]}/", $":{hole.Port}/", StringComparison.Ordinal);
        await using var refused = App(blob => (blob.ConnectionString, blob.Container, blob.RequestTimeout) = (closed, "any-container", TimeSpan.FromSeconds(1)));
        await using var hung = App(blob => (blob.ConnectionString, blob.Container, blob.RequestTimeout) = (hanging, "any-container", TimeSpan.FromSeconds(1)));

        var watch = Stopwatch.StartNew();
        var refusedTest = await refused.Destination.TestConnectionAsync();
        var hungResult = await hung.RunAsync(new ExportRunRequest());

        // Far below the client's own 100 s timeout; generous for a busy machine's first request.
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30));
        refusedTest.Message.Should().Contain("Destination 'target'").And.Contain("cannot reach the Blob endpoint");
        hungResult.Errors.Should().ContainSingle().Which.Should().Contain("timed out");
        hung.Logs.Lines.Should().Contain(l => l.EventId.Id == 2100, "the retry is logged");
        Secrets.ShouldNotAppearIn([Services.AzuriteKey], refused.Logs.AllText, hung.Logs.AllText, refusedTest.Message, string.Join(" ", hungResult.Errors));
    }
}
