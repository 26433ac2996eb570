using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using Amazon.S3;
using Azure.Storage.Blobs;
using Exports.Sdk.Destinations.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Exports.Sdk.AspNetCore.Tests.Destinations;

/// <summary>
/// Issue 16: destinations created through the API while the host runs, on real servers (fauxqs, Azurite, sshd): their
/// secret is stored encrypted (the store's raw bytes never hold it), never read back, never logged, and they receive an
/// export without a restart; an edit that leaves the secret out keeps it and applies from the next run.
/// </summary>
public sealed class RuntimeDestinationTests : IAsyncLifetime
{
    private readonly CapturingLoggerProvider _logs = new();
    private ExportsWebFactory _web = null!;
    private HttpClient _admin = null!;

    public Task InitializeAsync()
    {
        _web = new ExportsWebFactory(configureServices: services => services.AddLogging(l => l.AddProvider(_logs).SetMinimumLevel(LogLevel.Trace)));
        _admin = _web.Admin();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _web.DisposeAsync();

    [Theory]
    [InlineData("amazon-s3")]
    [InlineData("azure-blob")]
    [InlineData("sftp")]
    public async Task CreatedAtRunTime_SecretEncryptedNeverReadNorLogged_AndItReceivesAnExportWithoutARestart(string type)
    {
        var target = await Target.CreateAsync(type);
        var name = $"partner-{type}";

        var (status, created, response) = await _admin.PostJsonAsync("destinations", new { name, type, folderPath = target.Folder, settings = target.Settings });

        status.Should().Be(HttpStatusCode.Created, created?.ToJsonString());
        response.Headers.Location!.OriginalString.Should().Be($"/exports/api/destinations/{name}");
        created!["secrets"]![target.SecretSetting]!.GetValue<bool>().Should().BeTrue("the secret is set");
        created.ToJsonString().Should().NotContain(target.Secret);
        var (_, read, _) = await _admin.GetJsonAsync($"destinations/{name}");
        read!.ToJsonString().Should().NotContain(target.Secret).And.Contain(target.SecretSetting);
        (await _admin.GetJsonAsync("destinations")).Body!.ToJsonString().Should().NotContain(target.Secret);
        StoreBytesContain(target.Secret).Should().BeFalse("the store keeps the secret encrypted");

        var first = await ExportAsync(name);

        (await target.ReadRowsAsync(target.Folder + "/", first)).Should().Be(20_000);

        // An edit without the secret keeps it, and the next run writes where the edit says.
        var etag = (await _admin.GetJsonAsync($"destinations/{name}")).Response.ETag();
        var (updatedStatus, updated, _) = await _admin.SendAsync(HttpMethod.Put, $"destinations/{name}",
            new { name, type, folderPath = target.Folder + "-v2", settings = target.Settings.Where(s => s.Key != target.SecretSetting).ToDictionary() }, ifMatch: etag);
        updatedStatus.Should().Be(HttpStatusCode.OK, updated?.ToJsonString());
        updated!["secrets"]![target.SecretSetting]!.GetValue<bool>().Should().BeTrue("a secret left out keeps the stored one");
        var second = await ExportAsync(name);
        (await target.ReadRowsAsync(target.Folder + "-v2/", second)).Should().Be(20_000);

        StoreBytesContain(target.Secret).Should().BeFalse();
        _logs.Lines.Should().Contain(l => l.Message.Contains(name, StringComparison.Ordinal), "the runs to it were logged");
        _logs.AllText.Should().NotContain(target.Secret, "no log line holds the secret");
    }

    [Fact]
    public async Task Create_WithProblems_IsABadRequestNamingEachSetting_AndStoresNothing()
    {
        var (status, body, _) = await _admin.PostJsonAsync("destinations", new
        {
            name = "broken",
            type = "amazon-s3",
            folderPath = "/absolute",
            settings = new Dictionary<string, string> { ["partSize"] = "1KiB", ["secretAccessKey"] = "only-the-secret-9f2c" },
        });

        status.Should().Be(HttpStatusCode.BadRequest);
        var detail = body!.ToJsonString();
        detail.Should().Contain("bucket").And.Contain("partSize").And.Contain("FolderPath").And.NotContain("only-the-secret-9f2c");
        (await _admin.GetJsonAsync("destinations/broken")).Status.Should().Be(HttpStatusCode.NotFound);
    }

    /// <summary>Exports the demo audience to the destination through a dataflow created for it, and returns the run.</summary>
    private async Task<JsonNode> ExportAsync(string destination)
    {
        var id = $"to-{destination}-{Guid.NewGuid():N}"[..40];
        var (created, body, _) = await _admin.PostJsonAsync("dataflows", new
        {
            id,
            source = "demo",
            destination,
            attributes = new[] { "profileId", "person.email" },
            audiences = new[] { new { audienceId = "demo-audience", fileNameTemplate = "%DESTINATION_NAME%_%SEGMENT_ID%_%DATETIME(YYYYMMdd_HHmmss)%" } },
        });
        created.Should().Be(HttpStatusCode.Created, body?.ToJsonString());
        var (started, run, _) = await _admin.PostJsonAsync($"dataflows/{id}/export-now", new { audienceIds = new[] { "demo-audience" } });
        started.Should().Be(HttpStatusCode.Accepted, run?.ToJsonString());
        var ended = await _admin.WaitForRunAsync(run!["runId"]!.GetValue<string>(), Api.HasEnded);
        ended["status"]!.GetValue<string>().Should().Be("Succeeded", ended.ToJsonString());
        return ended;
    }

    private bool StoreBytesContain(string secret)
    {
        var needle = Encoding.UTF8.GetBytes(secret);
        return Directory.EnumerateFiles(Path.Combine(_web.Root, "store"), "*", SearchOption.AllDirectories)
            .Any(file => File.ReadAllBytes(file).AsSpan().IndexOf(needle) >= 0);
    }

    /// <summary>A real server to send to, its settings (one of them secret), and an independent reader of what arrived.</summary>
    private sealed class Target
    {
        public required Dictionary<string, string> Settings { get; init; }

        public required string SecretSetting { get; init; }

        public string Secret => Settings[SecretSetting];

        /// <summary>The destination's folder, unique to the test.</summary>
        public required string Folder { get; init; }

        /// <summary>Rows in the run's data files under the folder, read straight from the server (not through the SDK).</summary>
        public required Func<string, JsonNode, Task<long>> ReadRowsAsync { get; init; }

        public static async Task<Target> CreateAsync(string type)
        {
            var services = TestServices.Current;
            var unique = Guid.NewGuid().ToString("N")[..12];
            switch (type)
            {
                case "amazon-s3":
                {
                    var bucket = "runtime-" + unique;
                    var client = new AmazonS3Client(new BasicAWSCredentials("test", "test"), new AmazonS3Config { ServiceURL = services.S3ServiceUrl, ForcePathStyle = true });
                    await client.PutBucketAsync(bucket);
                    return new Target
                    {
                        Folder = "drops",
                        // fauxqs takes any key: the secret is unique, so finding it anywhere would be a leak.
                        Settings = new() { ["bucket"] = bucket, ["serviceUrl"] = services.S3ServiceUrl, ["forcePathStyle"] = "true", ["accessKeyId"] = "runtime-key", ["secretAccessKey"] = "s3-secret-" + unique },
                        SecretSetting = "secretAccessKey",
                        ReadRowsAsync = (folder, run) => CountAsync(folder, run, async path =>
                        {
                            using var response = await client.GetObjectAsync(bucket, path);
                            using var reader = new StreamReader(response.ResponseStream);
                            return await reader.ReadToEndAsync();
                        }),
                    };
                }

                case "azure-blob":
                {
                    var container = "runtime-" + unique;
                    var client = new BlobContainerClient(services.AzuriteConnectionString, container);
                    await client.CreateIfNotExistsAsync();
                    return new Target
                    {
                        Folder = "drops",
                        Settings = new() { ["connectionString"] = services.AzuriteConnectionString, ["container"] = container },
                        SecretSetting = "connectionString",
                        ReadRowsAsync = (folder, run) => CountAsync(folder, run, async path => (await client.GetBlobClient(path).DownloadContentAsync()).Value.Content.ToString()),
                    };
                }

                default:
                {
                    // The login's writable folder; the destination's folder below it is unique to the test.
                    var local = Path.Combine(services.SftpHome, "upload");
                    return new Target
                    {
                        Folder = "drops-" + unique,
                        Settings = new()
                        {
                            ["host"] = services.SftpHost,
                            ["port"] = services.SftpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                            ["username"] = services.SftpUser,
                            ["password"] = services.SftpPassword,
                            ["remotePath"] = "upload",
                            ["hostKeyFingerprints"] = string.Join(',', services.SftpHostFingerprints),
                        },
                        SecretSetting = "password",
                        ReadRowsAsync = (folder, run) => CountAsync(folder, run, path => File.ReadAllTextAsync(Path.Combine(local, path))),
                    };
                }
            }
        }

        /// <summary>Data rows (header excluded) of the run's files, all under the folder, each read by <paramref name="read"/>.</summary>
        private static async Task<long> CountAsync(string folder, JsonNode run, Func<string, Task<string>> read)
        {
            long rows = 0;
            foreach (var file in run["entries"]![0]!["files"]!.AsArray())
            {
                var path = file!["path"]!.GetValue<string>();
                path.Should().StartWith(folder);
                var text = await read(path);
                rows += text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length - 1;
            }

            return rows;
        }
    }
}
