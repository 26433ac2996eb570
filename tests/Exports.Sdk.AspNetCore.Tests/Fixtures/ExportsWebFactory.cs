using System.Net;
using System.Net.Http.Headers;
using Exports.Sdk.Stores.PostgreSql;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Exports.Sdk.AspNetCore.Tests;

/// <summary>
/// The web sample (samples/Exports.WebHost) in a test server: its own store and output folder under a temp root,
/// progress saved every 200 ms, the trickle source added, and optionally the PostgreSQL store with a host name (two
/// factories on one database are two hosts of a cluster).
/// </summary>
public sealed class ExportsWebFactory : WebApplicationFactory<Program>
{
    private readonly string? _postgres;
    private readonly string _hostName;
    private readonly bool _ownsRoot;

    private readonly Action<IServiceCollection>? _configureServices;

    public ExportsWebFactory(string? root = null, string? postgresConnectionString = null, string hostName = "web-test", bool kestrel = false, Action<IServiceCollection>? configureServices = null)
    {
        _configureServices = configureServices;
        if (kestrel)
        {
            // A real server on a free loopback port, for a real browser (the dashboard tests).
            UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        }

        _ownsRoot = root is null;
        Root = root ?? Path.Combine(Path.GetTempPath(), "exports-web-" + Guid.NewGuid().ToString("N"));
        _postgres = postgresConnectionString;
        _hostName = hostName;
        Directory.CreateDirectory(OutputPath);
        Directory.CreateDirectory(PartnerPath);
    }

    public string Root { get; }

    public string OutputPath => Path.Combine(Root, "output");

    /// <summary>The folder of the sample's second destination, <c>partner-folder</c>.</summary>
    public string PartnerPath => Path.Combine(Root, "partner");

    /// <summary>The real server's address (with <c>kestrel: true</c>), e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri BaseAddress
    {
        get
        {
            StartServer();
            return new Uri(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        }
    }

    public HttpClient ClientAs(string user, string role)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("X-Demo-User", user);
        client.DefaultRequestHeaders.Add("X-Demo-Role", role);
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }

    public HttpClient Admin() => ClientAs("ada", "Administrator");

    /// <summary>Files at the destination, read from the folder itself (hidden temp files included).</summary>
    public IReadOnlyList<string> OutputFiles() =>
        [.. Directory.EnumerateFiles(OutputPath, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(OutputPath, f)).Order(StringComparer.Ordinal)];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Exports:StorePath", Path.Combine(Root, "store"));
        builder.UseSetting("Exports:Destinations:demo-folder:Settings:path", OutputPath);
        builder.UseSetting("Exports:Destinations:partner-folder:Settings:path", PartnerPath);
        builder.UseSetting("Exports:Runs:ProgressInterval", "00:00:00.2");
        builder.UseSetting("Exports:RunTimeLocalRoot", Root);
        builder.UseSetting("Demo:AudienceSize", "20000");
        builder.ConfigureTestServices(services =>
        {
            var exports = services.AddExports().AddAudienceSource(TrickleAudienceSource.Name, new TrickleAudienceSource());
            if (_postgres is not null)
            {
                exports.UsePostgreSqlExportStore(_postgres, o =>
                {
                    o.HostName = _hostName;
                    o.RunLeaseDuration = TimeSpan.FromSeconds(5);
                });
            }

            // Each test's own key ring (hosts of one cluster share theirs through the database).
            exports.ProtectSecretsWithDataProtection(keys => _ = _postgres is not null
                ? keys.PersistKeysToExportsPostgreSql(_postgres)
                : keys.PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(Root, "keys"))));
            _configureServices?.Invoke(services);
        });
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_ownsRoot && Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}
