using System.Net;
using System.Text.Json.Nodes;
using Exports.Sdk.ClusterTests;
using Exports.Sdk.Destinations.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Exports.Sdk.AspNetCore.Tests.Destinations;

/// <summary>
/// Issue 16: two hosts on one PostgreSQL store share the Data Protection key ring through it, so a destination one
/// host created (its SFTP password encrypted in the store) is used by both; a host with a key ring of its own cannot
/// read the secret and says so.
/// </summary>
public sealed class SharedKeyRingTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private ExportsWebFactory _hostA = null!;
    private ExportsWebFactory _hostB = null!;
    private ExportsWebFactory _loner = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _hostA = new ExportsWebFactory(postgresConnectionString: _database.ConnectionString, hostName: "web-a");
        _hostB = new ExportsWebFactory(postgresConnectionString: _database.ConnectionString, hostName: "web-b");
        _loner = new ExportsWebFactory(postgresConnectionString: _database.ConnectionString, hostName: "web-c",
            configureServices: services => services.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(Path.GetTempPath(), "exports-own-keys-" + Guid.NewGuid().ToString("N")))));
    }

    public async Task DisposeAsync()
    {
        await _hostA.DisposeAsync();
        await _hostB.DisposeAsync();
        await _loner.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task ADestinationCreatedOnOneHost_IsUsedByBoth_AndItsPasswordIsNotInTheDatabase()
    {
        var services = TestServices.Current;
        var folder = "cluster-" + Guid.NewGuid().ToString("N")[..12];
        var a = _hostA.Admin();
        var b = _hostB.Admin();
        var (created, body, _) = await a.PostJsonAsync("destinations", new
        {
            name = "cluster-sftp",
            type = "sftp",
            folderPath = folder,
            settings = new Dictionary<string, string>
            {
                ["host"] = services.SftpHost,
                ["port"] = services.SftpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["username"] = services.SftpUser,
                ["password"] = services.SftpPassword,
                ["remotePath"] = "upload",
                ["hostKeyFingerprints"] = string.Join(',', services.SftpHostFingerprints),
            },
        });
        created.Should().Be(HttpStatusCode.Created, body?.ToJsonString());
        (await b.PostJsonAsync("dataflows", Dataflow("cluster-flow"))).Status.Should().Be(HttpStatusCode.Created);

        var fromB = await ExportAsync(b);
        var fromA = await ExportAsync(a);
        var fromLoner = await ExportAsync(_loner.Admin());

        fromB["status"]!.GetValue<string>().Should().Be("Succeeded", fromB.ToJsonString());
        fromA["status"]!.GetValue<string>().Should().Be("Succeeded", fromA.ToJsonString());
        var local = Path.Combine(services.SftpHome, "upload", folder);
        foreach (var run in new[] { fromA, fromB })
        {
            File.Exists(Path.Combine(local, Path.GetFileName(run["manifestPath"]!.GetValue<string>()))).Should().BeTrue("each host's run reached the server");
        }

        fromLoner["status"]!.GetValue<string>().Should().Be("Failed");
        fromLoner["errors"]![0]!.GetValue<string>().Should().Contain("Settings:password cannot be decrypted on this host").And.NotContain(services.SftpPassword);

        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var rows = new NpgsqlCommand("SELECT string_agg(record::text, '') FROM exports.destinations", connection);
        var stored = (string)(await rows.ExecuteScalarAsync())!;
        stored.Should().Contain("cluster-sftp").And.NotContain(services.SftpPassword, "the password is stored encrypted");
        await using var keys = new NpgsqlCommand("SELECT count(*) FROM exports.data_protection_keys", connection);
        ((long)(await keys.ExecuteScalarAsync())!).Should().BeGreaterThan(0, "the key ring lives in the store");
    }

    private static async Task<JsonNode> ExportAsync(HttpClient client)
    {
        var (started, run, _) = await client.PostJsonAsync("dataflows/cluster-flow/export-now", new { audienceIds = new[] { "demo-audience" } });
        started.Should().Be(HttpStatusCode.Accepted, run?.ToJsonString());
        return await client.WaitForRunAsync(run!["runId"]!.GetValue<string>(), Api.HasEnded);
    }

    private static object Dataflow(string id) => new
    {
        id,
        source = "demo",
        destination = "cluster-sftp",
        attributes = new[] { "profileId", "person.email" },
        audiences = new[] { new { audienceId = "demo-audience", fileNameTemplate = "%DESTINATION_NAME%_%SEGMENT_ID%_%DATETIME(YYYYMMdd_HHmmss)%" } },
    };
}
