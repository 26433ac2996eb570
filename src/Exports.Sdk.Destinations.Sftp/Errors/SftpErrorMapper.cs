using System.Net.Sockets;
using Renci.SshNet.Common;

namespace Exports.Sdk.Destinations.Sftp;

/// <summary>
/// Turns SSH.NET and network exceptions into <see cref="DestinationException"/>s that name the destination, the server
/// and the problem in words, and say whether a retry may help. Messages never hold passwords, keys or passphrases.
/// </summary>
internal static class SftpErrorMapper
{
    /// <summary>Maps an exception, or returns null when it must propagate unchanged (cancellation by the caller or by a timeout).</summary>
    public static DestinationException? Map(Exception exception, SftpDestinationOptions options, string destination, string operation, string path, CancellationToken cancellationToken)
    {
        if (exception is DestinationException || (exception is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            return null;
        }

        var where = $"Destination '{destination}'";
        var server = $"{options.Host}:{options.Port}";
        var target = path.Length == 0 ? "the login folder" : $"'{path}'";
        return exception switch
        {
            SshAuthenticationException => new DestinationException(
                $"{where}: the SFTP server {server} refused authentication of user '{options.Username}' with {Describe(options)}; check 'username' and the credentials.", isTransient: false, exception),
            SshPassPhraseNullOrEmptyException => new DestinationException(
                $"{where}: the private key is encrypted; set 'privateKeyPassphrase'.", isTransient: false, exception),
            SftpPathNotFoundException => new DestinationException(
                $"{where}: {operation} failed: {target} does not exist on {server}.", isTransient: false, exception),
            SftpPermissionDeniedException => new DestinationException(
                $"{where}: {operation} failed: permission denied for {target} on {server} (user '{options.Username}').", isTransient: false, exception),
            SshOperationTimeoutException or TimeoutException => new DestinationException(
                $"{where}: {operation} of {target} on {server} timed out.", isTransient: true, exception),
            SocketException socket => new DestinationException(
                $"{where}: cannot connect to the SFTP server {server} ({socket.SocketErrorCode}: {socket.Message}).", isTransient: true, exception),
            SshConnectionException connection => new DestinationException(
                $"{where}: the connection to {server} failed during {operation} of {target} ({connection.Message}).", isTransient: true, exception),
            ProxyException => new DestinationException($"{where}: the proxy refused the connection to {server}.", isTransient: false, exception),
            SftpException sftp => new DestinationException(
                $"{where}: {operation} of {target} on {server} failed: {sftp.Message}.", isTransient: false, exception),
            SshException ssh when ssh.Message.Contains("private key", StringComparison.OrdinalIgnoreCase) || ssh.Message.Contains("passphrase", StringComparison.OrdinalIgnoreCase) => new DestinationException(
                $"{where}: the private key could not be read (unsupported format or wrong 'privateKeyPassphrase').", isTransient: false, exception),
            SshException ssh => new DestinationException(
                $"{where}: {operation} of {target} on {server} failed: {ssh.Message}.", isTransient: true, exception),
            IOException or ObjectDisposedException => new DestinationException(
                $"{where}: the connection to {server} was lost during {operation} of {target} ({exception.Message}).", isTransient: true, exception),
            OperationCanceledException => new DestinationException(
                $"{where}: {operation} of {target} on {server} timed out.", isTransient: true, exception),
            _ => null,
        };
    }

    private static string Describe(SftpDestinationOptions options) => options.AuthScheme switch
    {
        SftpDestinationOptions.PasswordScheme => "a password",
        SftpDestinationOptions.PrivateKeyScheme => "a private key",
        _ => "a private key and a password",
    };
}
