namespace Exports.Sdk.Destinations.AzureBlob;

/// <summary>The keys of <see cref="DestinationDefinition.Settings"/> that the Azure Blob provider reads (case-insensitive).</summary>
public static class AzureBlobSettings
{
    /// <summary>A storage account connection string (secret; auth scheme <see cref="ConnectionStringScheme"/>).</summary>
    public const string ConnectionString = "connectionString";

    /// <summary>A container SAS URL, <c>https://account.blob.core.windows.net/container?sv=…&amp;sig=…</c> (secret; auth scheme <see cref="SasUrlScheme"/>).</summary>
    public const string ContainerSasUrl = "containerSasUrl";

    /// <summary>The blob endpoint of the account, <c>https://account.blob.core.windows.net</c> (auth scheme <see cref="TokenCredentialScheme"/>).</summary>
    public const string AccountUrl = "accountUrl";

    /// <summary>The key of the <c>TokenCredential</c> registered as a keyed service. Default: the destination name, then an unkeyed <c>TokenCredential</c>.</summary>
    public const string CredentialName = "credentialName";

    /// <summary>The container name. Required, except with a SAS URL (which names it).</summary>
    public const string Container = "container";

    /// <summary>A blob name prefix for every file (before <see cref="DestinationDefinition.FolderPath"/>). Default: none.</summary>
    public const string Prefix = "prefix";

    /// <summary>The size of each staged block, buffered in memory one or two at a time. Default 8 MiB.</summary>
    public const string BlockSize = "blockSize";

    /// <summary>The per-block transfer checksum: <c>md5</c> (default), <c>crc64</c> or <c>none</c>.</summary>
    public const string TransferChecksum = "transferChecksum";

    /// <summary>The storage service version to request, e.g. <c>2026-06-06</c>. Default: the client library's newest.</summary>
    public const string ServiceVersion = "serviceVersion";

    /// <summary>How often one request (or block) is retried after a transient failure. Default 3.</summary>
    public const string MaxRetryAttempts = "maxRetryAttempts";

    /// <summary>The first retry delay; later ones grow exponentially, with jitter. Default 1 s.</summary>
    public const string RetryDelay = "retryDelay";

    /// <summary>The time one attempt of one request may take (a block upload included). Default 100 s.</summary>
    public const string RequestTimeout = "requestTimeout";

    /// <summary>Auth scheme: a connection string with an account key or SAS.</summary>
    public const string ConnectionStringScheme = "connectionString";

    /// <summary>Auth scheme: a container SAS URL (e.g. a partner's data landing zone).</summary>
    public const string SasUrlScheme = "sasUrl";

    /// <summary>Auth scheme: an Azure.Core <c>TokenCredential</c> (managed identity, workload identity, …) registered in code.</summary>
    public const string TokenCredentialScheme = "tokenCredential";
}
