namespace Exports.Sdk.Destinations.Sftp;

/// <summary>
/// SHA-256 host-key fingerprints in one comparable form: the unpadded base64 that <c>ssh-keygen -lf</c> prints after
/// <c>SHA256:</c> (and that SSH.NET reports without the prefix).
/// </summary>
internal static class HostKeyFingerprint
{
    public static bool TryNormalize(string text, out string normalized)
    {
        var value = text.Trim();
        if (value.StartsWith("SHA256:", StringComparison.OrdinalIgnoreCase))
        {
            value = value[7..];
        }

        value = value.TrimEnd('=');
        normalized = value;
        // 32 bytes are 43 base64 characters without padding.
        return value.Length == 43 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '/');
    }

    /// <summary>The form <c>ssh-keygen -lf</c> prints, for messages.</summary>
    public static string Display(string normalized) => "SHA256:" + normalized;
}
