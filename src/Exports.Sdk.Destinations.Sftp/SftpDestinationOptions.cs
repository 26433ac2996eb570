using System.ComponentModel.DataAnnotations;

namespace Exports.Sdk.Destinations.Sftp;

/// <summary>
/// The settings of an SFTP destination. Bound from <see cref="DestinationDefinition.Settings"/> (keys: the property
/// names in camel case) by <see cref="DestinationSettingsBinder"/>. <see cref="ToString"/> never shows secrets.
/// </summary>
public sealed class SftpDestinationOptions : IValidatableObject
{
    /// <summary>Auth scheme: user name and password.</summary>
    public const string PasswordScheme = "password";

    /// <summary>Auth scheme: user name and SSH private key (optionally with a passphrase).</summary>
    public const string PrivateKeyScheme = "privateKey";

    /// <summary>What marks <see cref="PrivateKey"/> as the key's text (OpenSSH and PEM keys begin so) rather than a file path.</summary>
    private const string KeyTextMarker = "-----BEGIN";

    /// <summary>The server's host name or address. Required.</summary>
    [DestinationSetting("The server's host name or address.", IsRequired = true)]
    public string Host { get; set; } = "";

    /// <summary>The server's port. Default 22.</summary>
    [DestinationSetting("The server's port.", Minimum = "1", Maximum = "65535")]
    public int Port { get; set; } = 22;

    /// <summary>The user name. Required.</summary>
    [DestinationSetting("The user name.", IsRequired = true)]
    public string Username { get; set; } = "";

    /// <summary>The password (secret). Set this, <see cref="PrivateKey"/>, or both.</summary>
    [DestinationSetting("The password.", IsSecret = true, AuthScheme = PasswordScheme)]
    public string? Password { get; set; }

    /// <summary>The private key: a file path, or the key text (secret).</summary>
    [DestinationSetting("The private key (RSA, ECDSA or Ed25519; OpenSSH or PEM format): a file path or the key text.", IsSecret = true, AuthScheme = PrivateKeyScheme, FileContentMarker = KeyTextMarker)]
    public string? PrivateKey { get; set; }

    /// <summary>The private key's passphrase (secret). Default: none.</summary>
    [DestinationSetting("The private key's passphrase.", IsSecret = true, AuthScheme = PrivateKeyScheme)]
    public string? PrivateKeyPassphrase { get; set; }

    /// <summary>The remote folder files go under; it must exist. Default: the login folder.</summary>
    [DestinationSetting("The remote folder files go under (absolute, or relative to the login folder); it must exist, sub-folders are created. Default: the login folder.")]
    public string RemotePath { get; set; } = "";

    /// <summary>The trusted host-key fingerprints (<c>SHA256:…</c> as from <c>ssh-keygen -lf</c>).</summary>
    [DestinationSetting("The trusted host-key fingerprints as printed by 'ssh-keygen -lf' (SHA256:...), comma-separated; pin every key type the server offers. Required unless allowUnknownHostKey is true.")]
    public IList<string> HostKeyFingerprints { get; } = [];

    /// <summary>Whether to accept any host key when none is pinned. Default false.</summary>
    [DestinationSetting("Whether to accept any host key when none is pinned (testing only).")]
    public bool AllowUnknownHostKey { get; set; }

    /// <summary>The time to connect, exchange keys and authenticate. Default 15 s.</summary>
    [DestinationSetting("The time to connect, exchange keys and authenticate.", Minimum = "00:00:00.1", Maximum = "00:10:00")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The time one SFTP request may take. Default 60 s.</summary>
    [DestinationSetting("The time one SFTP request may take.", Minimum = "00:00:00.1", Maximum = "01:00:00")]
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Retries of a connection or single request after a transient failure. Default 3.</summary>
    [DestinationSetting("Retries of a connection or single request (not a file upload) after a transient failure.", Minimum = "0", Maximum = "20")]
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>The first retry delay (exponential backoff with jitter). Default 1 s.</summary>
    [DestinationSetting("The first retry delay, growing exponentially with jitter.", Minimum = "00:00:00", Maximum = "00:05:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The auth schemes in use, e.g. <c>password</c> or <c>privateKey</c>.</summary>
    public string AuthScheme => (Password, PrivateKey) switch
    {
        (not null, not null) => PasswordScheme + "+" + PrivateKeyScheme,
        (not null, null) => PasswordScheme,
        _ => PrivateKeyScheme,
    };

    /// <summary>Whether <see cref="Host"/> was given as <c>user:password@host</c>: it is then never repeated in a message.</summary>
    private bool HasUserPart => Host.Contains('@', StringComparison.Ordinal);

    /// <summary>Checks the authentication, host-key pinning and the values' shapes.</summary>
    /// <param name="validationContext">Unused.</param>
    /// <returns>The problems, each naming the settings; a secret's value is never repeated.</returns>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Host.Length > 0 && (Host.Any(c => char.IsWhiteSpace(c) || c is '/' or '@') || Host.Contains("://", StringComparison.Ordinal)))
        {
            // A value with a user part (user:password@host) is not repeated: it may hold the password.
            yield return new(HasUserPart
                ? "setting 'host' must be a host name or address (no scheme, user or path); the value, which has a user part, is not repeated."
                : $"setting 'host' must be a host name or address (no scheme, user or path), not '{Host}'.", [nameof(Host)]);
        }

        if (Password is null && PrivateKey is null)
        {
            yield return new("set 'password' or 'privateKey' (or both).", [nameof(Password), nameof(PrivateKey)]);
        }

        if (PrivateKeyPassphrase is not null && PrivateKey is null)
        {
            yield return new("setting 'privateKeyPassphrase' needs 'privateKey'.", [nameof(PrivateKeyPassphrase)]);
        }

        if (PrivateKey is { } key && !IsKeyText(key) && !File.Exists(key))
        {
            // A path is not a secret, but the value might be a mangled key: do not repeat it.
            yield return new("setting 'privateKey' is neither a readable key file nor key text ('-----BEGIN … PRIVATE KEY-----').", [nameof(PrivateKey)]);
        }

        if (RemotePath.Any(char.IsControl) || RemotePath.Contains('\\', StringComparison.Ordinal) || RemotePath.Split('/').Any(s => s == ".."))
        {
            yield return new("setting 'remotePath' must be a '/'-separated folder without '..' or control characters.", [nameof(RemotePath)]);
        }

        foreach (var fingerprint in HostKeyFingerprints.Where(f => !HostKeyFingerprint.TryNormalize(f, out _)))
        {
            yield return new($"setting 'hostKeyFingerprints' has '{fingerprint}', which is not a SHA256 fingerprint as printed by 'ssh-keygen -lf' (SHA256:<43 base64 characters>).", [nameof(HostKeyFingerprints)]);
        }

        if (HostKeyFingerprints.Count == 0 && !AllowUnknownHostKey)
        {
            yield return new($"setting 'hostKeyFingerprints' is required to verify the server (get it with 'ssh-keyscan -p {Port} {(HasUserPart ? "<host>" : Host)} | ssh-keygen -lf -'); set 'allowUnknownHostKey' to true only for testing.", [nameof(HostKeyFingerprints)]);
        }
    }

    /// <summary>Describes the server, user and auth scheme; never the password, key or passphrase.</summary>
    /// <returns>A description without secrets.</returns>
    public override string ToString() => $"sftp://{Username}@{Host}:{Port}/{RemotePath.TrimStart('/')} ({AuthScheme})";

    /// <summary>Whether a private-key value is the key itself rather than a path.</summary>
    internal static bool IsKeyText(string value) => value.Contains(KeyTextMarker, StringComparison.Ordinal);
}
