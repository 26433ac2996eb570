using System.Globalization;
using Azure.Core;
using Azure.Storage;
using Azure.Storage.Blobs;

namespace Exports.Sdk.Destinations.AzureBlob;

/// <summary>
/// The settings of an Azure Blob destination, typed. They live as strings in <see cref="DestinationDefinition.Settings"/>
/// under the keys of <see cref="AzureBlobSettings"/>; a <see cref="TokenCredential"/> is an object and is registered as
/// a service instead. <see cref="ToString"/> never shows secrets.
/// </summary>
public sealed class AzureBlobDestinationOptions
{
    /// <summary>The default <see cref="BlockSize"/>, 8 MiB.</summary>
    public const long DefaultBlockSize = 8L << 20;

    /// <summary>The smallest <see cref="BlockSize"/>, 64 KiB.</summary>
    public const long MinimumBlockSize = 64L << 10;

    /// <summary>The largest <see cref="BlockSize"/>, 1 GiB (each block is buffered in memory).</summary>
    public const long MaximumBlockSize = 1L << 30;

    /// <summary>A connection string (secret). One of <see cref="ConnectionString"/>, <see cref="ContainerSasUrl"/> or <see cref="AccountUrl"/>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>A container SAS URL (secret).</summary>
    public Uri? ContainerSasUrl { get; set; }

    /// <summary>The account's blob endpoint, used with a <see cref="TokenCredential"/>.</summary>
    public Uri? AccountUrl { get; set; }

    /// <summary>The keyed-service name of the <see cref="TokenCredential"/>. Default: the destination name.</summary>
    public string? CredentialName { get; set; }

    /// <summary>
    /// A token credential set in code (e.g. <c>new DefaultAzureCredential()</c>). <c>AddAzureBlobDestination</c> registers
    /// it as a keyed service named after the destination; it is never written to settings.
    /// </summary>
    public TokenCredential? Credential { get; set; }

    /// <summary>The container name (taken from the SAS URL when one is given).</summary>
    public string Container { get; set; } = "";

    /// <summary>A blob name prefix for every file. Default: none.</summary>
    public string? Prefix { get; set; }

    /// <summary>The staged block size in bytes. Default <see cref="DefaultBlockSize"/>.</summary>
    public long BlockSize { get; set; } = DefaultBlockSize;

    /// <summary>The per-block transfer checksum. Default <see cref="StorageChecksumAlgorithm.MD5"/>.</summary>
    public StorageChecksumAlgorithm TransferChecksum { get; set; } = StorageChecksumAlgorithm.MD5;

    /// <summary>The service version to request, e.g. <see cref="BlobClientOptions.ServiceVersion.V2026_06_06"/>. Default: the library's newest.</summary>
    public BlobClientOptions.ServiceVersion? ServiceVersion { get; set; }

    /// <summary>Retries of one request after a transient failure. Default 3.</summary>
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>The first retry delay (exponential backoff with jitter). Default 1 s.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The time one attempt of one request may take. Default 100 s.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>The auth scheme in use.</summary>
    public string AuthScheme => ConnectionString is not null ? AzureBlobSettings.ConnectionStringScheme
        : ContainerSasUrl is not null ? AzureBlobSettings.SasUrlScheme
        : AzureBlobSettings.TokenCredentialScheme;

    /// <summary>Reads the options from a definition's settings, gathering every problem.</summary>
    /// <param name="definition">The destination definition.</param>
    /// <param name="problems">Every problem found, naming the destination and the setting (never a secret's value).</param>
    /// <returns>The options (partly filled when there are problems).</returns>
    public static AzureBlobDestinationOptions Read(DestinationDefinition definition, out IReadOnlyList<string> problems)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var reader = new DestinationSettingsReader(definition);
        reader.RejectUnknown(AzureBlobDestinationProvider.SettingDescriptors);
        var options = new AzureBlobDestinationOptions
        {
            ConnectionString = reader.GetString(AzureBlobSettings.ConnectionString),
            CredentialName = reader.GetString(AzureBlobSettings.CredentialName),
            Container = reader.GetString(AzureBlobSettings.Container) ?? "",
            Prefix = reader.GetString(AzureBlobSettings.Prefix)?.Trim('/'),
            BlockSize = reader.GetSize(AzureBlobSettings.BlockSize, DefaultBlockSize, MinimumBlockSize, MaximumBlockSize),
            MaxRetryAttempts = reader.GetInt32(AzureBlobSettings.MaxRetryAttempts, 3, 0, 20),
            RetryDelay = reader.GetTimeSpan(AzureBlobSettings.RetryDelay, TimeSpan.FromSeconds(1), TimeSpan.Zero, TimeSpan.FromMinutes(5)),
            RequestTimeout = reader.GetTimeSpan(AzureBlobSettings.RequestTimeout, TimeSpan.FromSeconds(100), TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1)),
        };

        if (reader.GetString(AzureBlobSettings.ContainerSasUrl) is { } sas)
        {
            if (Uri.TryCreate(sas, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
                && uri.Query.Contains("sig=", StringComparison.OrdinalIgnoreCase))
            {
                options.ContainerSasUrl = uri;
                var sasContainer = new BlobUriBuilder(uri).BlobContainerName;
                if (string.IsNullOrEmpty(sasContainer))
                {
                    reader.AddProblem($"setting '{AzureBlobSettings.ContainerSasUrl}' must name a container (https://account.blob.core.windows.net/<container>?<sas>).");
                }
                else if (options.Container.Length > 0 && !string.Equals(options.Container, sasContainer, StringComparison.Ordinal))
                {
                    reader.AddProblem($"setting '{AzureBlobSettings.Container}' ('{options.Container}') differs from the container of '{AzureBlobSettings.ContainerSasUrl}' ('{sasContainer}').");
                }
                else
                {
                    options.Container = sasContainer;
                }
            }
            else
            {
                // The value is a secret: say what is wrong with it without repeating it.
                reader.AddProblem($"setting '{AzureBlobSettings.ContainerSasUrl}' must be an absolute http(s) URL of a container with a SAS token (containing 'sig=').");
            }
        }

        if (reader.GetString(AzureBlobSettings.AccountUrl) is { } account)
        {
            if (Uri.TryCreate(account, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) && uri.Query.Length == 0)
            {
                options.AccountUrl = uri;
            }
            else
            {
                reader.AddProblem($"setting '{AzureBlobSettings.AccountUrl}' must be the account's blob endpoint without a query (e.g. https://account.blob.core.windows.net), not '{account}'.");
            }
        }

        var schemes = new[] { options.ConnectionString is not null, options.ContainerSasUrl is not null || reader.GetString(AzureBlobSettings.ContainerSasUrl) is not null, options.AccountUrl is not null }.Count(b => b);
        if (schemes == 0)
        {
            reader.AddProblem($"set one of '{AzureBlobSettings.ConnectionString}', '{AzureBlobSettings.ContainerSasUrl}' or '{AzureBlobSettings.AccountUrl}' (with a TokenCredential).");
        }
        else if (schemes > 1)
        {
            reader.AddProblem($"set only one of '{AzureBlobSettings.ConnectionString}', '{AzureBlobSettings.ContainerSasUrl}' and '{AzureBlobSettings.AccountUrl}'.");
        }

        if (options.ConnectionString is not null && !LooksLikeConnectionString(options.ConnectionString))
        {
            reader.AddProblem($"setting '{AzureBlobSettings.ConnectionString}' is not a storage connection string (expected 'AccountName=…;AccountKey=…' or 'BlobEndpoint=…;SharedAccessSignature=…').");
        }

        if (options.ContainerSasUrl is null && reader.GetString(AzureBlobSettings.ContainerSasUrl) is null)
        {
            if (options.Container.Length == 0)
            {
                reader.AddProblem($"setting '{AzureBlobSettings.Container}' (the container name) is required.");
            }
            else if (options.Container.Length is < 3 or > 63 || options.Container.Any(c => !(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')))
            {
                reader.AddProblem($"setting '{AzureBlobSettings.Container}' must be a container name (3-63 lowercase letters, digits or '-'), not '{options.Container}'.");
            }
        }

        if (options.Prefix is { Length: > 0 } prefix && DestinationPath.Check(prefix) is { } prefixProblem)
        {
            reader.AddProblem($"setting '{AzureBlobSettings.Prefix}' '{prefix}' is not allowed: {prefixProblem}.");
        }

        switch (reader.GetString(AzureBlobSettings.TransferChecksum)?.ToUpperInvariant())
        {
            case null or "MD5":
                break;
            case "CRC64" or "STORAGECRC64":
                options.TransferChecksum = StorageChecksumAlgorithm.StorageCrc64;
                break;
            case "NONE":
                options.TransferChecksum = StorageChecksumAlgorithm.None;
                break;
            default:
                reader.AddProblem($"setting '{AzureBlobSettings.TransferChecksum}' must be md5, crc64 or none, not '{reader.GetString(AzureBlobSettings.TransferChecksum)}'.");
                break;
        }

        if (reader.GetString(AzureBlobSettings.ServiceVersion) is { } version)
        {
            if (Enum.TryParse<BlobClientOptions.ServiceVersion>("V" + version.Replace('-', '_'), ignoreCase: true, out var parsed) && Enum.IsDefined(parsed))
            {
                options.ServiceVersion = parsed;
            }
            else
            {
                reader.AddProblem($"setting '{AzureBlobSettings.ServiceVersion}' must be a storage service version such as 2026-06-06, not '{version}'.");
            }
        }

        problems = reader.Problems;
        return options;
    }

    /// <summary>Writes these options into a settings dictionary (the inverse of <see cref="Read"/>; <see cref="Credential"/> is not a setting).</summary>
    /// <param name="settings">The settings, e.g. <see cref="DestinationDefinition.Settings"/>.</param>
    public void WriteTo(IDictionary<string, string?> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var c = CultureInfo.InvariantCulture;
        Set(settings, AzureBlobSettings.ConnectionString, ConnectionString);
        Set(settings, AzureBlobSettings.ContainerSasUrl, ContainerSasUrl?.ToString());
        Set(settings, AzureBlobSettings.AccountUrl, AccountUrl?.ToString());
        Set(settings, AzureBlobSettings.CredentialName, CredentialName);
        Set(settings, AzureBlobSettings.Container, Container.Length == 0 ? null : Container);
        Set(settings, AzureBlobSettings.Prefix, Prefix);
        settings[AzureBlobSettings.BlockSize] = BlockSize.ToString(c);
        settings[AzureBlobSettings.TransferChecksum] = TransferChecksum == StorageChecksumAlgorithm.StorageCrc64 ? "crc64"
            : TransferChecksum == StorageChecksumAlgorithm.None ? "none" : "md5";
        Set(settings, AzureBlobSettings.ServiceVersion, ServiceVersion?.ToString()[1..].Replace('_', '-'));
        settings[AzureBlobSettings.MaxRetryAttempts] = MaxRetryAttempts.ToString(c);
        settings[AzureBlobSettings.RetryDelay] = RetryDelay.ToString("c", c);
        settings[AzureBlobSettings.RequestTimeout] = RequestTimeout.ToString("c", c);
    }

    /// <summary>Describes the container and auth scheme; never the connection string, SAS or credential.</summary>
    /// <returns>A description without secrets.</returns>
    public override string ToString() => $"container '{Container}'{(string.IsNullOrEmpty(Prefix) ? "" : $", prefix '{Prefix}'")} ({AuthScheme}{(AccountUrl is null ? "" : ", " + AccountUrl)})";

    private static bool LooksLikeConnectionString(string value)
    {
        var keys = value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => part.Split('=', 2)[0])
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        return (keys.Contains("AccountName") && keys.Contains("AccountKey"))
            || (keys.Contains("BlobEndpoint") && keys.Contains("SharedAccessSignature"))
            || keys.Contains("UseDevelopmentStorage");
    }

    private static void Set(IDictionary<string, string?> settings, string key, string? value)
    {
        if (value is null)
        {
            settings.Remove(key);
        }
        else
        {
            settings[key] = value;
        }
    }
}
