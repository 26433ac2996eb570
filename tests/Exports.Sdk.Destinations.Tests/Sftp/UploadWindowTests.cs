using Exports.Sdk.Destinations.Sftp;
using Microsoft.Extensions.Time.Testing;

namespace Exports.Sdk.Destinations.Tests.Sftp;

/// <summary>
/// The upload's flow control, driven as SSH.NET drives it: one read per write request, each acknowledged write reported
/// with the end of its bytes (as <see cref="UploadWindow.Report"/> passes it on). Time is a <see cref="FakeTimeProvider"/>,
/// so every delay is exact.
/// </summary>
public class UploadWindowTests
{
    private const int Chunk = 32 * 1024;
    private const long MiB = 1 << 20;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _time = new();
    private readonly byte[] _buffer = new byte[Chunk];
    private UploadWindow _window;
    private Stream _input;
    private long _handedOver;

    public UploadWindowTests() => (_window, _input) = Open(UploadWindow.InitialBytes);

    [Fact]
    public async Task ReadAsync_WindowFull_WaitsUntilAcknowledgementsFreeAQuarterOfIt()
    {
        var ends = await HandOverAsync(_window.Bytes);

        var blocked = _input.ReadAsync(_buffer).AsTask();
        blocked.IsCompleted.Should().BeFalse("1 MiB is in flight and nothing is acknowledged");
        Acknowledge(ends[0]);
        Acknowledge(ends[6]);
        // A wrongly woken read would go on on the thread pool: give it the time to.
        await Task.WhenAny(blocked, Task.Delay(200));
        blocked.IsCompleted.Should().BeFalse("224 KiB acknowledged is less than a quarter of the window");

        Acknowledge(ends[7]);

        (await blocked.WaitAsync(Wait)).Should().Be(Chunk);
    }

    [Fact]
    public async Task Bytes_AcknowledgedWithoutQueueingOnAShortLink_DoublesEachRoundUpToTheMaximum()
    {
        var windows = new List<long>();
        for (var round = 0; round < 8; round++)
        {
            // A 2 ms round trip and a server that keeps up: every write comes back one round trip after it left.
            await RoundAsync(_ => TimeSpan.FromMilliseconds(2));
            windows.Add(_window.Bytes / MiB);
        }

        // The first round only learns the round trip.
        windows.Should().Equal(1, 2, 4, 8, 16, 32, 64, 64);
    }

    [Fact]
    public async Task Bytes_ServerQueuesTheWritesOnAShortLink_StaysAtItsStart()
    {
        for (var round = 0; round < 5; round++)
        {
            // The server takes 1 ms a write, so each write waits behind the ones sent before it.
            await RoundAsync(i => TimeSpan.FromMilliseconds(i + 1));
        }

        _window.Bytes.Should().Be(UploadWindow.InitialBytes);
    }

    [Fact]
    public async Task Bytes_LongLinkWithJitter_GrowsAnyway()
    {
        var windows = new List<long>();
        for (var round = 0; round < 3; round++)
        {
            // A 20 ms round trip whose acknowledgements spread over 50 ms more: queueing by the mean, but a long link.
            await RoundAsync(i => TimeSpan.FromMilliseconds(20 + (50.0 * i / (_window.Bytes / Chunk))));
            windows.Add(_window.Bytes / MiB);
        }

        windows.Should().Equal(1, 2, 4);
    }

    [Fact]
    public async Task Bytes_ShortestDelayFallingAsTheServerStarts_WaitsForItToSettle_AndHalvesWhatItLearnedTooEarly()
    {
        var windows = new List<long>();
        foreach (var milliseconds in new[] { 300, 300, 1, 1 })
        {
            // A server slow to start looks like a long link until its writes come back sooner.
            await RoundAsync(_ => TimeSpan.FromMilliseconds(milliseconds));
            windows.Add(_window.Bytes / MiB);
        }

        windows.Should().Equal(1, 2, 1, 2);
    }

    [Fact]
    public async Task Bytes_WindowNeverFull_DoesNotGrow()
    {
        for (var half = 0; half < 10; half++)
        {
            // The export is slower than the link: never more than half a window in flight.
            var ends = await HandOverAsync(_window.Bytes / 2);
            _time.Advance(TimeSpan.FromMilliseconds(50));
            ends.ForEach(Acknowledge);
        }

        _window.Bytes.Should().Be(UploadWindow.InitialBytes);
    }

    [Fact]
    public async Task Constructor_StartsFromWhatTheConnectionLearned_WithinTheBounds_AndKeepsItThroughTheFirstRound()
    {
        new UploadWindow(_time, 0).Bytes.Should().Be(UploadWindow.InitialBytes);
        new UploadWindow(_time, long.MaxValue).Bytes.Should().Be(UploadWindow.MaxBytes);
        (_window, _input) = Open(8 * MiB);

        await RoundAsync(_ => TimeSpan.FromMilliseconds(2));

        _window.Bytes.Should().Be(8 * MiB);
    }

    [Fact]
    public async Task ReadAsync_NoAcknowledgementForTheStallTimeout_HandsOverMore()
    {
        // A write the server refused is never acknowledged; SSH.NET throws its error only at its next read.
        await HandOverAsync(_window.Bytes);
        var blocked = _input.ReadAsync(_buffer).AsTask();
        _time.Advance(UploadWindow.StallTimeout - TimeSpan.FromMilliseconds(1));
        blocked.IsCompleted.Should().BeFalse();

        _time.Advance(TimeSpan.FromMilliseconds(1));

        (await blocked.WaitAsync(Wait)).Should().Be(Chunk);
    }

    [Fact]
    public async Task ReadAsync_CancelledWhileWaitingForRoom_Throws()
    {
        await HandOverAsync(_window.Bytes);
        using var cancellation = new CancellationTokenSource();
        var blocked = _input.ReadAsync(_buffer, cancellation.Token).AsTask();

        await cancellation.CancelAsync();

        await FluentActions.Awaiting(() => blocked.WaitAsync(Wait)).Should().ThrowAsync<OperationCanceledException>();
    }

    private (UploadWindow Window, Stream Input) Open(long startBytes)
    {
        var window = new UploadWindow(_time, startBytes);
        _handedOver = 0;
        return (window, window.Wrap(new ZeroInput()));
    }

    /// <summary>Hands over a full window at once, then acknowledges write <c>i</c> at <paramref name="acknowledgedAfter"/>(i).</summary>
    private async Task RoundAsync(Func<int, TimeSpan> acknowledgedAfter)
    {
        var ends = await HandOverAsync(_window.Bytes);
        var elapsed = TimeSpan.Zero;
        for (var i = 0; i < ends.Count; i++)
        {
            _time.Advance(acknowledgedAfter(i) - elapsed);
            elapsed = acknowledgedAfter(i);
            Acknowledge(ends[i]);
        }
    }

    /// <summary>Reads <paramref name="bytes"/> in chunks, each of which must be handed over at once; returns their ends.</summary>
    private async Task<List<long>> HandOverAsync(long bytes)
    {
        var ends = new List<long>();
        for (var i = 0; i < bytes / Chunk; i++)
        {
            var read = _input.ReadAsync(_buffer);
            read.IsCompleted.Should().BeTrue($"chunk {i + 1} of {bytes / Chunk} is within the window");
            _handedOver += await read;
            ends.Add(_handedOver);
        }

        return ends;
    }

    private void Acknowledge(long end) => _window.Acknowledged(end);

    /// <summary>An endless input of zeros.</summary>
    private sealed class ZeroInput : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => count;

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(buffer.Length);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
