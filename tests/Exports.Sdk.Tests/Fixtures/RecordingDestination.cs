using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Exports.Sdk.Tests.Fixtures;

/// <summary>
/// Wraps a destination, records every open, commit, abort, delete and move in order, can fail a chosen open, commit or move, and
/// can make every write wait like a slow link.
/// </summary>
internal sealed class RecordingDestination(IDestination inner) : IDestination, IDestinationMove
{
    /// <summary>The name a fixed-name part is staged under in run <c>run1</c> (<see cref="ExportScenario.RunId"/>).</summary>
    public static string Staged(string name, string runId = "run1") =>
        $".{name}.{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(runId)))[..12]}.staged";

    private readonly ConcurrentQueue<string> _events = new();
    private int _opens;
    private int _commits;
    private int _moves;

    public string Name => inner.Name;

    /// <summary>Events such as <c>open name.csv</c>, <c>commit name.csv</c>, <c>abort name.csv</c>, <c>delete name.csv</c>.</summary>
    public IReadOnlyList<string> Events => [.. _events];

    /// <summary>When set, the open with this 1-based number throws a <see cref="DestinationException"/>.</summary>
    public int? FailOpenNumber { get; set; }

    /// <summary>When set, the commit with this 1-based number throws a <see cref="DestinationException"/>.</summary>
    public int? FailCommitNumber { get; set; }

    /// <summary>When set, the move with this 1-based number throws a <see cref="DestinationException"/>.</summary>
    public int? FailMoveNumber { get; set; }

    /// <summary>When set, awaited before each open with its 1-based number (e.g. to change the run's record meanwhile).</summary>
    public Func<int, Task>? BeforeOpen { get; set; }

    /// <summary>When set, called before each commit with its 1-based number (e.g. to cancel the run).</summary>
    public Action<int>? BeforeCommit { get; set; }

    /// <summary>
    /// When set, every asynchronous write to a file waits this long first, like a slow link: the formatting pipeline and
    /// the gzip blocks queue up behind it, as they do on a busy machine.
    /// </summary>
    public TimeSpan? DelayPerWrite { get; set; }

    public async ValueTask<IDestinationWriter> OpenWriteAsync(string path, CancellationToken cancellationToken = default)
    {
        var number = Interlocked.Increment(ref _opens);
        _events.Enqueue("open " + path);
        if (BeforeOpen is { } beforeOpen)
        {
            await beforeOpen(number);
        }

        if (number == FailOpenNumber)
        {
            throw new DestinationException($"Destination '{Name}': simulated outage opening '{path}'", isTransient: false);
        }

        var writer = await inner.OpenWriteAsync(path, cancellationToken);
        return new Writer(this, writer, path);
    }

    public async IAsyncEnumerable<DestinationFile> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var file in inner.ListAsync(prefix, cancellationToken))
        {
            yield return file;
        }
    }

    public ValueTask DeleteAsync(string path, CancellationToken cancellationToken = default)
    {
        _events.Enqueue("delete " + path);
        return inner.DeleteAsync(path, cancellationToken);
    }

    public ValueTask MoveAsync(string sourcePath, string targetPath, CancellationToken cancellationToken = default)
    {
        _events.Enqueue($"move {sourcePath} {targetPath}");
        if (Interlocked.Increment(ref _moves) == FailMoveNumber)
        {
            throw new DestinationException($"Destination '{Name}': simulated outage moving '{sourcePath}'", isTransient: false);
        }

        return ((IDestinationMove)inner).MoveAsync(sourcePath, targetPath, cancellationToken);
    }

    public ValueTask<ConnectionTestResult> TestConnectionAsync(CancellationToken cancellationToken = default) =>
        inner.TestConnectionAsync(cancellationToken);

    private sealed class Writer(RecordingDestination owner, IDestinationWriter inner, string path) : IDestinationWriter
    {
        private bool _committed;

        public Stream Stream { get; } = owner.DelayPerWrite is { } delay ? new SlowStream(inner.Stream, delay) : inner.Stream;

        public async ValueTask CommitAsync(CancellationToken cancellationToken = default)
        {
            var number = Interlocked.Increment(ref owner._commits);
            owner.BeforeCommit?.Invoke(number);
            if (number == owner.FailCommitNumber)
            {
                throw new DestinationException($"Destination '{owner.Name}': simulated outage committing '{path}'", isTransient: false);
            }

            await inner.CommitAsync(cancellationToken);
            _committed = true;
            owner._events.Enqueue("commit " + path);
        }

        public async ValueTask DisposeAsync()
        {
            if (!_committed)
            {
                owner._events.Enqueue("abort " + path);
            }

            await inner.DisposeAsync();
        }
    }

    private sealed class SlowStream(Stream inner, TimeSpan delay) : WriteOnlyStream
    {
        public override void Write(ReadOnlySpan<byte> buffer) => inner.Write(buffer);

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await Task.Delay(delay, cancellationToken);
            await inner.WriteAsync(buffer, cancellationToken);
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
    }
}
