using System.Globalization;

namespace Exports.Sdk.Destinations.Sftp;

/// <summary>
/// The settings of an SFTP destination, typed. They live as strings in <see cref="DestinationDefinition.Settings"/>
/// under the keys of <see cref="SftpSettings"/>; this type reads and writes them. <see cref="ToString"/> never shows secrets.
/// </summary>
public sealed class SftpDestinationOptions
{
    /// <summary>The server's host name or address. Required.</summary>
    public string Host { get; set; } = "";

    /// <summary>The server's port. Default 22.</summary>
    public int Port { get; set; } = 22;

    /// <summary>The user name. Required.</summary>
    public string Username { get; set; } = "";

    /// <summary>The password (secret). Set this, <see cref="PrivateKey"/>, or both.</summary>
    public string? Password { get; set; }

    /// <summary>The private key: a file path, or the key text (secret).</summary>
    public string? PrivateKey { get; set; }

    /// <summary>The private key's passphrase (secret). Default: none.</summary>
    public string? PrivateKeyPassphrase { get; set; }

    /// <summary>The remote folder files go under; it must exist. Default: the login folder.</summary>
    public string RemotePath { get; set; } = "";

    /// <summary>The trusted host-key fingerprints (<c>SHA256:…</c> as from <c>ssh-keygen -lf</c>).</summary>
    public IList<string> HostKeyFingerprints { get; } = [];

    /// <summary>Whether to accept any host key when none is pinned. Default false.</summary>
    public bool AllowUnknownHostKey { get; set; }

    /// <summary>The time to connect, exchange keys and authenticate. Default 15 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The time one SFTP request may take. Default 60 s.</summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Retries of a connection or single request after a transient failure. Default 3.</summary>
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>The first retry delay (exponential backoff with jitter). Default 1 s.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The auth schemes in use, e.g. <c>password</c> or <c>privateKey</c>.</summary>
    public string AuthScheme => (Password, PrivateKey) switch
    {
        (not null, not null) => SftpSettings.PasswordScheme + "+" + SftpSettings.PrivateKeyScheme,
        (not null, null) => SftpSettings.PasswordScheme,
        _ => SftpSettings.PrivateKeyScheme,
    };

    /// <summary>Reads the options from a definition's settings, gathering every problem.</summary>
    /// <param name="definition">The destination definition.</param>
    /// <param name="problems">Every problem found, naming the destination and the setting (never a secret's value).</param>
    /// <returns>The options (partly filled when there are problems).</returns>
    public static SftpDestinationOptions Read(DestinationDefinition definition, out IReadOnlyList<string> problems)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var reader = new DestinationSettingsReader(definition);
        reader.RejectUnknown(SftpDestinationProvider.SettingDescriptors);
        var options = new SftpDestinationOptions
        {
            Host = reader.GetRequiredString(SftpSettings.Host, "the server's host name") ?? "",
            Port = reader.GetInt32(SftpSettings.Port, 22, 1, 65535),
            Username = reader.GetRequiredString(SftpSettings.Username, "the user name") ?? "",
            Password = reader.GetString(SftpSettings.Password),
            PrivateKey = reader.GetString(SftpSettings.PrivateKey),
            PrivateKeyPassphrase = reader.GetString(SftpSettings.PrivateKeyPassphrase),
            RemotePath = reader.GetString(SftpSettings.RemotePath) ?? "",
            AllowUnknownHostKey = reader.GetBoolean(SftpSettings.AllowUnknownHostKey, false),
            ConnectTimeout = reader.GetTimeSpan(SftpSettings.ConnectTimeout, TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(10)),
            OperationTimeout = reader.GetTimeSpan(SftpSettings.OperationTimeout, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1)),
            MaxRetryAttempts = reader.GetInt32(SftpSettings.MaxRetryAttempts, 3, 0, 20),
            RetryDelay = reader.GetTimeSpan(SftpSettings.RetryDelay, TimeSpan.FromSeconds(1), TimeSpan.Zero, TimeSpan.FromMinutes(5)),
        };

        if (options.Host.Length > 0 && (options.Host.Any(c => char.IsWhiteSpace(c) || c is '/' or '@') || options.Host.Contains("://", StringComparison.Ordinal)))
        {
            reader.AddProblem($"setting '{SftpSettings.Host}' must be a host name or address (no scheme, user or path), not '{options.Host}'.");
        }

        if (options.Password is null && options.PrivateKey is null)
        {
            reader.AddProblem($"set '{SftpSettings.Password}' or '{SftpSettings.PrivateKey}' (or both).");
        }

        if (options.PrivateKeyPassphrase is not null && options.PrivateKey is null)
        {
            reader.AddProblem($"setting '{SftpSettings.PrivateKeyPassphrase}' needs '{SftpSettings.PrivateKey}'.");
        }

        if (options.PrivateKey is { } key && !IsKeyText(key) && !File.Exists(key))
        {
            // A path is not a secret, but the value might be a mangled key: do not repeat it.
            reader.AddProblem($"setting '{SftpSettings.PrivateKey}' is neither a readable key file nor key text ('-----BEGIN … PRIVATE KEY-----').");
        }

        if (options.RemotePath.Any(char.IsControl) || options.RemotePath.Contains('\\', StringComparison.Ordinal)
            || options.RemotePath.Split('/').Any(s => s == ".."))
        {
            reader.AddProblem($"setting '{SftpSettings.RemotePath}' must be a '/'-separated folder without '..' or control characters.");
        }

        foreach (var fingerprint in reader.GetList(SftpSettings.HostKeyFingerprints))
        {
            if (HostKeyFingerprint.TryNormalize(fingerprint, out var normalized))
            {
                options.HostKeyFingerprints.Add(normalized);
            }
            else
            {
                reader.AddProblem($"setting '{SftpSettings.HostKeyFingerprints}' has '{fingerprint}', which is not a SHA256 fingerprint as printed by 'ssh-keygen -lf' (SHA256:<43 base64 characters>).");
            }
        }

        if (options.HostKeyFingerprints.Count == 0 && !options.AllowUnknownHostKey && reader.GetString(SftpSettings.HostKeyFingerprints) is null)
        {
            reader.AddProblem($"setting '{SftpSettings.HostKeyFingerprints}' is required to verify the server (get it with 'ssh-keyscan -p {options.Port} {options.Host} | ssh-keygen -lf -'); set '{SftpSettings.AllowUnknownHostKey}' to true only for testing.");
        }

        problems = reader.Problems;
        return options;
    }

    /// <summary>Writes these options into a settings dictionary (the inverse of <see cref="Read"/>).</summary>
    /// <param name="settings">The settings, e.g. <see cref="DestinationDefinition.Settings"/>.</param>
    public void WriteTo(IDictionary<string, string?> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var c = CultureInfo.InvariantCulture;
        settings[SftpSettings.Host] = Host;
        settings[SftpSettings.Port] = Port.ToString(c);
        settings[SftpSettings.Username] = Username;
        Set(settings, SftpSettings.Password, Password);
        Set(settings, SftpSettings.PrivateKey, PrivateKey);
        Set(settings, SftpSettings.PrivateKeyPassphrase, PrivateKeyPassphrase);
        Set(settings, SftpSettings.RemotePath, RemotePath.Length == 0 ? null : RemotePath);
        Set(settings, SftpSettings.HostKeyFingerprints, HostKeyFingerprints.Count == 0 ? null : string.Join(",", HostKeyFingerprints.Select(f => f.StartsWith("SHA256:", StringComparison.OrdinalIgnoreCase) ? f : "SHA256:" + f)));
        settings[SftpSettings.AllowUnknownHostKey] = AllowUnknownHostKey ? "true" : "false";
        settings[SftpSettings.ConnectTimeout] = ConnectTimeout.ToString("c", c);
        settings[SftpSettings.OperationTimeout] = OperationTimeout.ToString("c", c);
        settings[SftpSettings.MaxRetryAttempts] = MaxRetryAttempts.ToString(c);
        settings[SftpSettings.RetryDelay] = RetryDelay.ToString("c", c);
    }

    /// <summary>Describes the server, user and auth scheme; never the password, key or passphrase.</summary>
    /// <returns>A description without secrets.</returns>
    public override string ToString() => $"sftp://{Username}@{Host}:{Port}/{RemotePath.TrimStart('/')} ({AuthScheme})";

    /// <summary>Whether a private-key value is the key itself rather than a path.</summary>
    internal static bool IsKeyText(string value) => value.Contains("-----BEGIN", StringComparison.Ordinal);

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
