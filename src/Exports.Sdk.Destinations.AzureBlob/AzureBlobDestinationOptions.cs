using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Azure.Core;
using Azure.Storage;
using Azure.Storage.Blobs;

namespace Exports.Sdk.Destinations.AzureBlob;

/// <summary>
/// The settings of an Azure Blob destination. Bound from <see cref="DestinationDefinition.Settings"/> (keys: the
/// property names in camel case) by <see cref="DestinationSettingsBinder"/>; a <see cref="TokenCredential"/> is an
/// object and is registered as a service instead. <see cref="ToString"/> never shows secrets.
/// </summary>
public sealed class AzureBlobDestinationOptions : IValidatableObject
{
    /// <summary>Auth scheme: a connection string with an account key or SAS.</summary>
    public const string ConnectionStringScheme = "connectionString";

    /// <summary>Auth scheme: a container SAS URL (e.g. a partner's data landing zone).</summary>
    public const string SasUrlScheme = "sasUrl";

    /// <summary>Auth scheme: an Azure.Core <c>TokenCredential</c> (managed identity, workload identity, …) registered in code.</summary>
    public const string TokenCredentialScheme = "tokenCredential";

    /// <summary>The default <see cref="BlockSize"/>, 8 MiB.</summary>
    public const long DefaultBlockSize = 8L << 20;

    /// <summary>The smallest <see cref="BlockSize"/>, 64 KiB.</summary>
    public const long MinimumBlockSize = 64L << 10;

    /// <summary>The largest <see cref="BlockSize"/>, 1 GiB (each block is buffered in memory).</summary>
    public const long MaximumBlockSize = 1L << 30;

    private string _container = "";
    private string? _prefix;

    /// <summary>A connection string (secret). One of <see cref="ConnectionString"/>, <see cref="ContainerSasUrl"/> or <see cref="AccountUrl"/>.</summary>
    [DestinationSetting("A storage account connection string (AccountName + AccountKey, or BlobEndpoint + SharedAccessSignature).", IsSecret = true, AuthScheme = ConnectionStringScheme)]
    public string? ConnectionString { get; set; }

    /// <summary>A container SAS URL (secret).</summary>
    [DestinationSetting("A container SAS URL (https://account.blob.core.windows.net/container?sv=...&sig=...), e.g. a partner's data landing zone. Needs write (w), delete (d) and list (l); create (c) is enough in place of write for new blobs.", IsSecret = true, AuthScheme = SasUrlScheme)]
    public Uri? ContainerSasUrl { get; set; }

    /// <summary>The account's blob endpoint, used with a <see cref="TokenCredential"/>.</summary>
    [DestinationSetting("The account's blob endpoint (https://account.blob.core.windows.net), with a TokenCredential registered in code.", AuthScheme = TokenCredentialScheme)]
    public Uri? AccountUrl { get; set; }

    /// <summary>The keyed-service name of the <see cref="TokenCredential"/>. Default: the destination name.</summary>
    [DestinationSetting("The key of a keyed TokenCredential service. Default: the destination name, then an unkeyed TokenCredential.", AuthScheme = TokenCredentialScheme)]
    public string? CredentialName { get; set; }

    /// <summary>
    /// A token credential set in code (e.g. <c>new DefaultAzureCredential()</c>). <c>AddAzureBlobDestination</c> registers
    /// it as a keyed service named after the destination; it is never written to settings.
    /// </summary>
    public TokenCredential? Credential { get; set; }

    /// <summary>The container name (taken from the SAS URL when one is given).</summary>
    [DestinationSetting("The container name. Required unless the SAS URL names it.")]
    public string Container
    {
        get => _container.Length > 0 || ContainerSasUrl is null ? _container : SasContainer(ContainerSasUrl) ?? "";
        set => _container = value;
    }

    /// <summary>A blob name prefix for every file. Default: none.</summary>
    [DestinationSetting("A blob name prefix for every file, before the destination's FolderPath.")]
    public string? Prefix { get => _prefix; set => _prefix = value?.Trim('/'); }

    /// <summary>The staged block size in bytes. Default <see cref="DefaultBlockSize"/>.</summary>
    [DestinationSetting("The staged block size (e.g. 8MiB), buffered in memory at most twice per file; a blob has at most 50,000 blocks.", Minimum = "64KiB", Maximum = "1GiB")]
    public long BlockSize { get; set; } = DefaultBlockSize;

    /// <summary>The per-block transfer checksum. Default <see cref="StorageChecksumAlgorithm.MD5"/>.</summary>
    [DestinationSetting("The per-block transfer checksum the service verifies: md5, crc64 or none.")]
    [TypeConverter(typeof(TransferChecksumConverter))]
    public StorageChecksumAlgorithm TransferChecksum { get; set; } = StorageChecksumAlgorithm.MD5;

    /// <summary>The service version to request, e.g. <see cref="BlobClientOptions.ServiceVersion.V2026_06_06"/>. Default: the library's newest.</summary>
    [DestinationSetting("The storage service version to request (e.g. 2026-06-06), for emulators or sovereign clouds that lag behind. Default: the client library's newest.")]
    [TypeConverter(typeof(ServiceVersionConverter))]
    public BlobClientOptions.ServiceVersion? ServiceVersion { get; set; }

    /// <summary>Retries of one request after a transient failure. Default 3.</summary>
    [DestinationSetting("Retries of one request or block after a transient failure (timeouts, throttling, 5xx, dropped connections).", Minimum = "0", Maximum = "20")]
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>The first retry delay (exponential backoff with jitter). Default 1 s.</summary>
    [DestinationSetting("The first retry delay, growing exponentially with jitter.", Minimum = "00:00:00", Maximum = "00:05:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The time one attempt of one request may take. Default 100 s.</summary>
    [DestinationSetting("The time one attempt of one request (one block upload included) may take.", Minimum = "00:00:00.1", Maximum = "01:00:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>The auth scheme in use.</summary>
    public string AuthScheme => ConnectionString is not null ? ConnectionStringScheme
        : ContainerSasUrl is not null ? SasUrlScheme
        : TokenCredentialScheme;

    /// <summary>Checks the auth scheme (exactly one of connection string, SAS URL, account URL) and the values' shapes.</summary>
    /// <param name="validationContext">Unused.</param>
    /// <returns>The problems, each naming the settings; a secret's value is never repeated.</returns>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        string? sasContainer = "";
        if (ContainerSasUrl is { } sas)
        {
            if ((sas.Scheme == Uri.UriSchemeHttps || sas.Scheme == Uri.UriSchemeHttp) && sas.Query.Contains("sig=", StringComparison.OrdinalIgnoreCase))
            {
                sasContainer = SasContainer(sas);
                if (sasContainer is null)
                {
                    yield return new("setting 'containerSasUrl' holds a SAS token that cannot be read (a malformed field such as its start or expiry time).", [nameof(ContainerSasUrl)]);
                }
                else if (sasContainer.Length == 0)
                {
                    yield return new("setting 'containerSasUrl' must name a container (https://account.blob.core.windows.net/<container>?<sas>).", [nameof(ContainerSasUrl)]);
                }
                else if (_container.Length > 0 && !string.Equals(_container, sasContainer, StringComparison.Ordinal))
                {
                    yield return new($"setting 'container' ('{_container}') differs from the container of 'containerSasUrl' ('{sasContainer}').", [nameof(Container)]);
                }
            }
            else
            {
                // The value is a secret: say what is wrong with it without repeating it.
                yield return new("setting 'containerSasUrl' must be an absolute http(s) URL of a container with a SAS token (containing 'sig=').", [nameof(ContainerSasUrl)]);
            }
        }

        if (AccountUrl is { } account && (account.Scheme != Uri.UriSchemeHttps && account.Scheme != Uri.UriSchemeHttp || account.Query.Length > 0 || account.UserInfo.Length > 0))
        {
            // A query is often a pasted SAS token, and a URL may carry a user: name only the part that is wrong.
            yield return new(account.Query.Length > 0
                ? "setting 'accountUrl' must be the account's blob endpoint without a query (e.g. https://account.blob.core.windows.net); the query is not repeated, as it may hold a SAS token."
                : account.Scheme != Uri.UriSchemeHttps && account.Scheme != Uri.UriSchemeHttp
                ? $"setting 'accountUrl' must be the account's blob endpoint, an http(s) URL (e.g. https://account.blob.core.windows.net), not a '{account.Scheme}' URL."
                : "setting 'accountUrl' must be the account's blob endpoint without a user name or password before its host (e.g. https://account.blob.core.windows.net); they are not repeated.", [nameof(AccountUrl)]);
        }

        var schemes = new[] { ConnectionString is not null, ContainerSasUrl is not null, AccountUrl is not null }.Count(b => b);
        if (schemes == 0)
        {
            yield return new("set one of 'connectionString', 'containerSasUrl' or 'accountUrl' (with a TokenCredential).", [nameof(ConnectionString), nameof(ContainerSasUrl), nameof(AccountUrl)]);
        }
        else if (schemes > 1)
        {
            yield return new("set only one of 'connectionString', 'containerSasUrl' and 'accountUrl'.", [nameof(ConnectionString), nameof(ContainerSasUrl), nameof(AccountUrl)]);
        }

        if (ConnectionString is not null && !LooksLikeConnectionString(ConnectionString))
        {
            yield return new("setting 'connectionString' is not a storage connection string (expected 'AccountName=…;AccountKey=…' or 'BlobEndpoint=…;SharedAccessSignature=…').", [nameof(ConnectionString)]);
        }

        if (ContainerSasUrl is null)
        {
            if (Container.Length == 0)
            {
                yield return new("setting 'container' (the container name) is required.", [nameof(Container)]);
            }
            else if (Container.Length is < 3 or > 63 || Container.Any(c => !(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')))
            {
                yield return new($"setting 'container' must be a container name (3-63 lowercase letters, digits or '-'), not '{Container}'.", [nameof(Container)]);
            }
        }

        if (Prefix is { Length: > 0 } prefix && DestinationPath.Check(prefix) is { } prefixProblem)
        {
            yield return new($"setting 'prefix' '{prefix}' is not allowed: {prefixProblem}.", [nameof(Prefix)]);
        }
    }

    /// <summary>Describes the container and auth scheme; never the connection string, SAS or credential.</summary>
    /// <returns>A description without secrets.</returns>
    public override string ToString() => $"container '{Container}'{(string.IsNullOrEmpty(Prefix) ? "" : $", prefix '{Prefix}'")} ({AuthScheme}{(AccountUrl is null ? "" : ", " + AccountUrl)})";

    /// <summary>The container a SAS URL names ("" for none), or null when its SAS token cannot be read (a malformed time).</summary>
    private static string? SasContainer(Uri sas)
    {
        try
        {
            return new BlobUriBuilder(sas).BlobContainerName;
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            return null;
        }
    }

    private static bool LooksLikeConnectionString(string value)
    {
        var keys = value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => part.Split('=', 2)[0])
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var shaped = (keys.Contains("AccountName") && keys.Contains("AccountKey"))
            || (keys.Contains("BlobEndpoint") && keys.Contains("SharedAccessSignature"))
            || keys.Contains("UseDevelopmentStorage");
        if (!shaped)
        {
            return false;
        }

        try
        {
            // The client parses it (and decodes the account key) without a request: a malformed one is refused at
            // start-up instead of crashing the first run.
            _ = new BlobServiceClient(value);
            return true;
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }
}
