using Renci.SshNet;

namespace Exports.Sdk.Destinations.Sftp;

/// <summary>
/// Flow control for one upload: limits the bytes handed to SSH.NET's pipelined upload that the server has not yet
/// acknowledged. SSH.NET sends write requests as fast as the SSH channel's window allows (2 MiB and more at OpenSSH).
/// Over a fast link an OpenSSH server then queues megabytes for its SFTP subsystem, and on a new connection it grows
/// that queue's buffer 32 KiB at a time, copying it at each step: ~0.7 s of the server's CPU at the start of a 233 MB
/// upload (docs/performance/log.md). So a connection's first window is 1 MiB, which a link with a round trip under
/// 1 ms fills at over 1 GB/s. It doubles after each round (a window's worth of acknowledgements) in which it was full
/// and the link, not the server, held the upload back: the acknowledgements' mean delay stayed under twice the
/// shortest, or the shortest was a long link's (4 ms or more). Rounds count only once the shortest delay has stopped
/// falling (a server starting up looks like a long link), and one that halved it halves the window too.
/// </summary>
internal sealed class UploadWindow : IProgress<UploadFileProgressReport>
{
    /// <summary>The window of a connection's first upload.</summary>
    internal const long InitialBytes = 1 << 20;

    /// <summary>The largest window (SSH's own channel window limits what is in flight long before this).</summary>
    internal const long MaxBytes = 64L << 20;

    /// <summary>
    /// How long a read waits for acknowledgements before handing over more anyway. A write the server refused is never
    /// acknowledged, and SSH.NET throws its error only at its next read; a server slower than this just gets more in flight.
    /// </summary>
    internal static readonly TimeSpan StallTimeout = TimeSpan.FromSeconds(1);

    private readonly TimeProvider _timeProvider;
    private readonly long _longRoundTrip;
    private readonly Lock _lock = new();
    private readonly Queue<(long End, long HandedOverAt)> _inFlight = new();
    private TaskCompletionSource? _room;
    private long _handedOver;
    private long _acknowledged;
    private long _roundEnd;
    private bool _roundFilledWindow;
    private long _roundDelays;
    private int _roundSamples;
    private long _shortestDelay = long.MaxValue;
    private long _shortestBeforeRound = long.MaxValue;

    /// <summary>Creates the window.</summary>
    /// <param name="timeProvider">Times the acknowledgements and the stall timeout.</param>
    /// <param name="startBytes">The window to start with: what the connection's previous upload learned, or <see cref="InitialBytes"/>.</param>
    public UploadWindow(TimeProvider timeProvider, long startBytes = InitialBytes)
    {
        _timeProvider = timeProvider;
        _longRoundTrip = timeProvider.TimestampFrequency * 4 / 1000;
        Bytes = Math.Clamp(startBytes, InitialBytes, MaxBytes);
        _roundEnd = Bytes;
    }

    /// <summary>The bytes that may be handed over and not yet acknowledged.</summary>
    internal long Bytes { get; private set; }

    /// <summary>Wraps the upload's input so its reads wait for room in the window.</summary>
    /// <param name="input">What the upload reads.</param>
    /// <returns>The stream to hand to SSH.NET.</returns>
    public Stream Wrap(Stream input) => new WindowedInput(input, this);

    /// <summary>SSH.NET reports each acknowledged write here, on its receiving thread.</summary>
    /// <param name="value">The acknowledged write's progress: the end of the bytes it covered.</param>
    public void Report(UploadFileProgressReport value) => Acknowledged((long)value.TotalBytesUploaded);

    /// <summary>Takes the acknowledgement of the write whose bytes end at <paramref name="end"/>.</summary>
    /// <param name="end">The end of the acknowledged write's bytes in the file.</param>
    internal void Acknowledged(long end)
    {
        var now = _timeProvider.GetTimestamp();
        TaskCompletionSource? room = null;
        lock (_lock)
        {
            while (_inFlight.TryPeek(out var write) && write.End <= end)
            {
                _inFlight.Dequeue();
                if (write.End == end)
                {
                    var delay = now - write.HandedOverAt;
                    _shortestDelay = Math.Min(_shortestDelay, delay);
                    _roundDelays += delay;
                    _roundSamples++;
                }
            }

            _acknowledged = Math.Max(_acknowledged, end);
            if (_acknowledged >= _roundEnd)
            {
                EndRound();
            }

            // Wake a waiting read only once a quarter of the window is free, not at every 32 KiB.
            if (_room is not null && _handedOver - _acknowledged <= Bytes - (Bytes >> 2))
            {
                room = _room;
                _room = null;
            }
        }

        room?.TrySetResult();
    }

    private void EndRound()
    {
        var before = _shortestBeforeRound;
        if (before != long.MaxValue && _shortestDelay < before / 2)
        {
            Bytes = Math.Max(Bytes / 2, InitialBytes);
        }
        else if (_roundFilledWindow && _roundSamples > 0 && _shortestDelay >= before - (before >> 3))
        {
            var unqueued = _roundDelays / _roundSamples < 2 * _shortestDelay;
            if (unqueued || _shortestDelay >= _longRoundTrip)
            {
                Bytes = Math.Min(Bytes * 2, MaxBytes);
            }
        }

        _roundEnd = _acknowledged + Bytes;
        _roundFilledWindow = false;
        _roundDelays = 0;
        _roundSamples = 0;
        _shortestBeforeRound = _shortestDelay;
    }

    private async ValueTask WaitForRoomAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task room;
            lock (_lock)
            {
                if (_handedOver - _acknowledged < Bytes)
                {
                    return;
                }

                _room ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                room = _room.Task;
            }

            try
            {
                await room.WaitAsync(StallTimeout, _timeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                return;
            }
        }
    }

    private void HandedOver(int count)
    {
        if (count == 0)
        {
            return;
        }

        var now = _timeProvider.GetTimestamp();
        lock (_lock)
        {
            _handedOver += count;
            _inFlight.Enqueue((_handedOver, now));
            _roundFilledWindow |= _handedOver - _acknowledged >= Bytes;
        }
    }

    /// <summary>The upload's input as SSH.NET reads it: each read is one write request, handed over once the window has room.</summary>
    private sealed class WindowedInput(Stream input, UploadWindow window) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await window.WaitForRoomAsync(cancellationToken).ConfigureAwait(false);
            var read = await input.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            window.HandedOver(read);
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        // SSH.NET's asynchronous upload reads asynchronously; a synchronous read would block on the window.
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("The upload's input is read asynchronously.");

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
