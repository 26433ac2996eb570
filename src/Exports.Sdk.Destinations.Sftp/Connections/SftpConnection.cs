using Renci.SshNet;

namespace Exports.Sdk.Destinations.Sftp;

/// <summary>A connected, authenticated SFTP client and the authentication methods it owns.</summary>
internal sealed class SftpConnection(SftpClient client, IReadOnlyList<IDisposable> owned) : IDisposable
{
    public SftpClient Client { get; } = client;

    /// <summary>What the connection's last finished upload learned of the link (<see cref="UploadWindow"/>), for the next one.</summary>
    public long UploadWindowBytes { get; set; } = UploadWindow.InitialBytes;

    public void Dispose()
    {
        try
        {
            if (Client.IsConnected)
            {
                Client.Disconnect();
            }
        }
        catch (Exception ex) when (ex is Renci.SshNet.Common.SshException or IOException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            // The connection is already gone; disposing frees what is left.
        }

        Client.Dispose();
        foreach (var item in owned)
        {
            item.Dispose();
        }
    }
}
