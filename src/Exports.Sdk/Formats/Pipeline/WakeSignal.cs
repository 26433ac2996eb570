using System.Diagnostics;

namespace Exports.Sdk;

/// <summary>
/// Wakes one waiting party when another changes what it waits for. The waiter spins a little before it parks: a
/// hand-off between the two threads of a <see cref="RowFormattingPipeline{TFormatter}"/> usually comes within
/// microseconds, and parking and waking a thread costs far more than that on virtual machines.
/// </summary>
/// <remarks>
/// Not disposable: the semaphore's wait handle is never asked for, so it holds nothing to release, and a helper that
/// signals after the pipeline ended must not meet a disposed semaphore.
/// </remarks>
#pragma warning disable CA1001 // See the remarks.
internal sealed class WakeSignal
#pragma warning restore CA1001
{
    private static readonly long SpinTicks = Stopwatch.Frequency / 20_000; // 50 µs

    private readonly SemaphoreSlim _semaphore = new(0);
    private int _parked;

    /// <summary>Wakes the waiter if it is parked; cheap when it is not.</summary>
    public void Set()
    {
        // The caller's change must be visible before _parked is read: without a full fence the read could pass the
        // store, and a waiter that parks in between would not be woken.
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _parked) != 0 && Interlocked.Exchange(ref _parked, 0) != 0)
        {
            _semaphore.Release();
        }
    }

    /// <summary>Returns once <paramref name="ready"/> holds; the other party calls <see cref="Set"/> after every change that may make it hold.</summary>
    public async ValueTask WaitAsync<TState>(Func<TState, bool> ready, TState state, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        while (!ready(state))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (Stopwatch.GetTimestamp() - start < SpinTicks)
            {
                Thread.SpinWait(20);
                continue;
            }

            Interlocked.Exchange(ref _parked, 1);
            if (ready(state))
            {
                // A release that races with this only ends a later wait early, which checks again.
                break;
            }

            await _semaphore.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
