namespace Exports.Sdk.Destinations.Sftp;

/// <summary>
/// Keeps a destination's connections that ended their work cleanly for its next operation. An export's files and its
/// manifest, and the runs of a host that exports again soon after, then share SSH sessions instead of each paying for a
/// handshake. A handshake is the key exchange, authentication and the SFTP subsystem: ~0.2 s to the local sshd, far
/// more across a WAN. An idle connection is closed after <see cref="IdleTimeout"/>, so a server does not keep sessions
/// for hosts that export once an hour; at most <see cref="MaxIdle"/> are kept. A connection whose work failed or was
/// abandoned is never returned: an interrupted request may still be answered on it.
/// </summary>
internal sealed class SftpConnectionPool(SftpConnector connector, TimeProvider timeProvider) : IDisposable
{
    /// <summary>How long an idle connection is kept.</summary>
    internal static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(30);

    /// <summary>How many idle connections are kept (parts of an export may upload side by side).</summary>
    internal const int MaxIdle = 4;

    private readonly Lock _lock = new();

    /// <summary>The idle connections, the most recently returned last.</summary>
    private readonly List<Idle> _idle = [];
    private bool _disposed;

    /// <summary>How many connections are idle (for tests).</summary>
    internal int IdleCount
    {
        get
        {
            lock (_lock)
            {
                return _idle.Count;
            }
        }
    }

    /// <summary>The most recently returned idle connection that is still connected, or a new one.</summary>
    public async Task<SftpConnection> RentAsync(CancellationToken cancellationToken)
    {
        while (Take() is { } idle)
        {
            await idle.Timer.DisposeAsync().ConfigureAwait(false);
            if (idle.Connection.Client.IsConnected)
            {
                return idle.Connection;
            }

            idle.Connection.Dispose();
        }

        return await connector.ConnectAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs <paramref name="work"/> on a rented connection; returns the connection when the work succeeded and discards
    /// it when the work failed (<see cref="Discard"/>).
    /// </summary>
    public async Task<T> UseAsync<T>(Func<SftpConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        var connection = await RentAsync(cancellationToken).ConfigureAwait(false);
        T result;
        try
        {
            result = await work(connection).ConfigureAwait(false);
        }
        catch
        {
            Discard(connection);
            throw;
        }

        Return(connection);
        return result;
    }

    /// <summary>
    /// Keeps a connection whose work succeeded for the next operation, in place of the oldest idle one when the pool is
    /// full (the newest has the longest to live); closes it when it is gone or the pool is disposed.
    /// </summary>
    public void Return(SftpConnection connection)
    {
        Idle? evicted = null;
        var kept = false;
        if (connection.Client.IsConnected)
        {
            var idle = new Idle(connection);
            lock (_lock)
            {
                if (!_disposed)
                {
                    if (_idle.Count == MaxIdle)
                    {
                        evicted = _idle[0];
                        _idle.RemoveAt(0);
                    }

                    // Under the lock, so an expiry waits until the connection is listed.
                    idle.Timer = timeProvider.CreateTimer(_ => Expire(idle), null, IdleTimeout, Timeout.InfiniteTimeSpan);
                    _idle.Add(idle);
                    kept = true;
                }
            }
        }

        evicted?.Close();

        if (!kept)
        {
            connection.Dispose();
        }
    }

    /// <summary>
    /// Closes a connection whose work failed, and the idle ones with it: the failure may be the server going away, and a
    /// connection it dropped silently still looks connected, so a retry would otherwise be handed one after another.
    /// </summary>
    public void Discard(SftpConnection connection)
    {
        connection.Dispose();
        CloseIdle(disposing: false);
    }

    /// <summary>Closes the idle connections; connections in use are closed by their users.</summary>
    public void Dispose() => CloseIdle(disposing: true);

    private void CloseIdle(bool disposing)
    {
        List<Idle> idle;
        lock (_lock)
        {
            _disposed |= disposing;
            idle = [.. _idle];
            _idle.Clear();
        }

        foreach (var entry in idle)
        {
            entry.Close();
        }
    }

    private Idle? Take()
    {
        lock (_lock)
        {
            if (_idle.Count == 0)
            {
                return null;
            }

            var idle = _idle[^1];
            _idle.RemoveAt(_idle.Count - 1);
            return idle;
        }
    }

    private void Expire(Idle idle)
    {
        lock (_lock)
        {
            // Rented meanwhile: its renter owns it now.
            if (!_idle.Remove(idle))
            {
                return;
            }
        }

        idle.Close();
    }

    /// <summary>An idle connection and the timer that closes it.</summary>
    private sealed class Idle(SftpConnection connection)
    {
        public SftpConnection Connection { get; } = connection;

        public ITimer Timer { get; set; } = null!;

        public void Close()
        {
            Timer.Dispose();
            Connection.Dispose();
        }
    }
}
