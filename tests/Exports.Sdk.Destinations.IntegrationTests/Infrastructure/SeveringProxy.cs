using System.Net;
using System.Net.Sockets;

namespace Exports.Sdk.Destinations.IntegrationTests.Infrastructure;

/// <summary>
/// A TCP relay on 127.0.0.1 in front of a server that can be cut off and restored: the server becomes unreachable
/// (connections reset, new ones refused) while it keeps its state, e.g. fauxqs' open multipart uploads, which a
/// restart would lose.
/// </summary>
public sealed class SeveringProxy : IAsyncDisposable
{
    private readonly int _target;
    private readonly List<TcpClient> _connections = [];
    private TcpListener? _listener;
    private CancellationTokenSource _stop = new();

    public SeveringProxy(int targetPort)
    {
        _target = targetPort;
        Port = BlackHoleServer.ClosedPort();
        Restore();
    }

    public int Port { get; }

    /// <summary>Resets every open connection and refuses new ones.</summary>
    public void Sever()
    {
        _stop.Cancel();
        _listener?.Stop();
        _listener = null;
        lock (_connections)
        {
            foreach (var connection in _connections)
            {
                connection.Client.LingerState = new LingerOption(true, 0);
                connection.Dispose();
            }

            _connections.Clear();
        }
    }

    /// <summary>Accepts and relays connections again.</summary>
    public void Restore()
    {
        _stop = new CancellationTokenSource();
        _listener = new TcpListener(IPAddress.Loopback, Port);
        _listener.Start();
        _ = AcceptAsync(_listener, _stop.Token);
    }

    /// <summary>Progress that severs the link once a run has written a number of bytes.</summary>
    public IProgress<ExportProgress> SeverAfter(long bytes) => new Trigger(this, bytes);

    public ValueTask DisposeAsync()
    {
        Sever();
        return ValueTask.CompletedTask;
    }

    private async Task AcceptAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var client = await listener.AcceptTcpClientAsync(cancellationToken);
                var server = new TcpClient();
                await server.ConnectAsync(IPAddress.Loopback, _target, cancellationToken);
                lock (_connections)
                {
                    _connections.Add(client);
                    _connections.Add(server);
                }

                _ = PumpAsync(client.GetStream(), server.GetStream(), cancellationToken);
                _ = PumpAsync(server.GetStream(), client.GetStream(), cancellationToken);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private static async Task PumpAsync(NetworkStream from, NetworkStream to, CancellationToken cancellationToken)
    {
        try
        {
            await from.CopyToAsync(to, cancellationToken);
            to.Socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
        }
    }

    private sealed class Trigger(SeveringProxy proxy, long bytes) : IProgress<ExportProgress>
    {
        private int _fired;

        public void Report(ExportProgress value)
        {
            if (value.BytesWritten >= bytes && Interlocked.Exchange(ref _fired, 1) == 0)
            {
                proxy.Sever();
            }
        }
    }
}
