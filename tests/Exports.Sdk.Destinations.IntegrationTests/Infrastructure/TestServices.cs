namespace Exports.Sdk.Destinations.IntegrationTests.Infrastructure;

/// <summary>
/// What scripts/services.sh started: ports, connection string, keys and host fingerprints, read from
/// .services/services.env. A missing file fails the tests (they never skip): run `scripts/services.sh start`.
/// </summary>
public sealed class TestServices
{
    private static readonly Lazy<TestServices> Instance = new(Load);
    private readonly Dictionary<string, string> _values;

    private TestServices(Dictionary<string, string> values) => _values = values;

    public static TestServices Current => Instance.Value;

    public string this[string key] => _values.TryGetValue(key, out var value)
        ? value
        : throw new InvalidOperationException($"services.env has no '{key}'; re-run scripts/services.sh start.");

    public string S3ServiceUrl => this["S3_SERVICE_URL"];

    public string AzuriteConnectionString => this["AZURITE_CONNECTION_STRING"];

    public string AzuriteKey => this["AZURITE_KEY"];

    public string AzuriteBlobEndpoint => this["AZURITE_BLOB_ENDPOINT"];

    public string SftpHost => this["SFTP_HOST"];

    public int SftpPort => int.Parse(this["SFTP_PORT"], System.Globalization.CultureInfo.InvariantCulture);

    public string SftpUser => this["SFTP_USER"];

    public string SftpPassword => this["SFTP_PASSWORD"];

    public string SftpHome => this["SFTP_HOME"];

    public IReadOnlyList<string> SftpHostFingerprints => this["SFTP_HOST_FINGERPRINTS"].Split(',');

    public IReadOnlyList<string> SftpAltHostFingerprints => this["SFTP_ALT_HOST_FINGERPRINTS"].Split(',');

    /// <summary>The ProFTPD mod_sftp server (no posix-rename): same user and home as the sshd.</summary>
    public int ProftpdPort => int.Parse(this["PROFTPD_SFTP_PORT"], System.Globalization.CultureInfo.InvariantCulture);

    public IReadOnlyList<string> ProftpdHostFingerprints => this["PROFTPD_HOST_FINGERPRINTS"].Split(',');

    private static TestServices Load()
    {
        var file = Environment.GetEnvironmentVariable("EXPORTS_SERVICES_ENV");
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); file is null && dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, ".services", "services.env");
            if (File.Exists(candidate))
            {
                file = candidate;
            }
        }

        if (file is null || !File.Exists(file))
        {
            throw new InvalidOperationException("The integration test servers are not set up: .services/services.env was not found. Run `scripts/services.sh start` (test.sh does).");
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(file))
        {
            if (line.Length == 0 || line[0] == '#' || !line.Contains('=', StringComparison.Ordinal))
            {
                continue;
            }

            var at = line.IndexOf('=', StringComparison.Ordinal);
            values[line[..at]] = line[(at + 1)..];
        }

        return new TestServices(values);
    }
}
