namespace Exports.Sdk.Destinations.Sftp;

/// <summary>The keys of <see cref="DestinationDefinition.Settings"/> that the SFTP provider reads (case-insensitive).</summary>
public static class SftpSettings
{
    /// <summary>The server's host name or address. Required.</summary>
    public const string Host = "host";

    /// <summary>The server's port. Default 22.</summary>
    public const string Port = "port";

    /// <summary>The user name. Required.</summary>
    public const string Username = "username";

    /// <summary>The password (secret; auth scheme <see cref="PasswordScheme"/>).</summary>
    public const string Password = "password";

    /// <summary>The private key: a file path, or the key itself in OpenSSH or PEM format (secret; auth scheme <see cref="PrivateKeyScheme"/>). RSA, ECDSA and Ed25519 keys work.</summary>
    public const string PrivateKey = "privateKey";

    /// <summary>The private key's passphrase (secret). Default: none.</summary>
    public const string PrivateKeyPassphrase = "privateKeyPassphrase";

    /// <summary>The remote folder files go under (absolute, or relative to the login folder). It must exist. Default: the login folder.</summary>
    public const string RemotePath = "remotePath";

    /// <summary>
    /// The server's host-key fingerprints to trust, as printed by <c>ssh-keygen -lf key.pub</c> (<c>SHA256:…</c>),
    /// separated by commas. Pin every key type the server offers.
    /// </summary>
    public const string HostKeyFingerprints = "hostKeyFingerprints";

    /// <summary>Whether to accept any host key when no fingerprint is pinned. Default false: connections to an unpinned server are refused.</summary>
    public const string AllowUnknownHostKey = "allowUnknownHostKey";

    /// <summary>The time to connect, exchange keys and authenticate. Default 15 s.</summary>
    public const string ConnectTimeout = "connectTimeout";

    /// <summary>The time one SFTP request (open, write, rename, list, delete) may take. Default 60 s.</summary>
    public const string OperationTimeout = "operationTimeout";

    /// <summary>How often a connection or a single request (not a file upload) is retried after a transient failure. Default 3.</summary>
    public const string MaxRetryAttempts = "maxRetryAttempts";

    /// <summary>The first retry delay; later ones grow exponentially, with jitter. Default 1 s.</summary>
    public const string RetryDelay = "retryDelay";

    /// <summary>Auth scheme: user name and password.</summary>
    public const string PasswordScheme = "password";

    /// <summary>Auth scheme: user name and SSH private key (optionally with a passphrase).</summary>
    public const string PrivateKeyScheme = "privateKey";
}
