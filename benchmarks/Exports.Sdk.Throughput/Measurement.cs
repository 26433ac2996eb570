using System.Diagnostics;
using System.Runtime;

namespace Exports.Sdk.Throughput;

/// <summary>
/// One timed run of a writer: time, output size, managed allocations, the peak working set above the start, this
/// process's CPU time, and the time the JIT spent compiling meanwhile (on any thread: it takes a core from the writer).
/// </summary>
internal sealed record Measurement(string Name, double Seconds, long Rows, long Bytes, long Allocated, long PeakAddedBytes, double CpuSeconds, double JitMilliseconds)
{
    public double RowsPerSecond => Rows / Seconds;

    public double MegabytesPerSecond => Bytes / 1048576.0 / Seconds;

    /// <summary>Runs once and measures it.</summary>
    /// <param name="name">The writer.</param>
    /// <param name="rows">Rows it writes.</param>
    /// <param name="run">The run; returns the bytes written.</param>
    /// <param name="samplePeak">
    /// Whether to sample the working set (every 5 ms) for <see cref="PeakAddedBytes"/>; 0 when not. The sampling costs CPU
    /// (reading /proc 200 times a second on a pool thread), measured at ~10 % of a writer that uses both cores, so timed
    /// runs do not sample.
    /// </param>
    public static async Task<Measurement> TakeAsync(string name, long rows, Func<Task<long>> run, bool samplePeak)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var baseline = process.WorkingSet64;
        long peak = baseline;
        using var sampling = new CancellationTokenSource();
        // Sampled, because the process-wide peak cannot be reset between writers.
        var sampler = !samplePeak ? Task.CompletedTask : Task.Run(async () =>
        {
            using var self = Process.GetCurrentProcess();
            while (!sampling.IsCancellationRequested)
            {
                self.Refresh();
                peak = Math.Max(peak, self.WorkingSet64);
                try
                {
                    await Task.Delay(5, sampling.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
        });
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var cpu = process.TotalProcessorTime;
        var jit = JitInfo.GetCompilationTime();
        var clock = Stopwatch.StartNew();
        var bytes = await run();
        clock.Stop();
        var jitMilliseconds = (JitInfo.GetCompilationTime() - jit).TotalMilliseconds;
        process.Refresh();
        cpu = process.TotalProcessorTime - cpu;
        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        await sampling.CancelAsync();
        await sampler;
        return new Measurement(name, clock.Elapsed.TotalSeconds, rows, bytes, allocated, Math.Max(0, peak - baseline), cpu.TotalSeconds, jitMilliseconds);
    }

    /// <summary>The run with the median time.</summary>
    public static Measurement Median(IReadOnlyList<Measurement> runs) => runs.OrderBy(r => r.Seconds).ElementAt(runs.Count / 2);
}
