using System.Diagnostics;
using Exports.Sdk;

namespace Exports.QuickStart;

/// <summary>
/// Draws a progress bar from the export's progress reports, at most five times a second. Reports arrive on the
/// export's own thread, so drawing is synchronous and cheap.
/// </summary>
internal sealed class ConsoleProgress(long expectedRows) : IProgress<ExportProgress>
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly bool _interactive = !Console.IsOutputRedirected;
    private TimeSpan? _lastDraw;
    private bool _finished;

    public void Report(ExportProgress value)
    {
        var now = _clock.Elapsed;
        var done = value.RowsRead >= expectedRows;
        if (_finished)
        {
            return;
        }

        _finished = done;
        var interval = _interactive ? TimeSpan.FromMilliseconds(200) : TimeSpan.FromSeconds(2);
        if (!done && _lastDraw is { } last && now - last < interval)
        {
            return;
        }

        _lastDraw = now;
        var fraction = expectedRows == 0 ? 1 : Math.Min(1, (double)value.RowsRead / expectedRows);
        const int width = 30;
        var filled = (int)(fraction * width);
        var rate = now.TotalSeconds > 0 ? value.RowsRead / now.TotalSeconds : 0;
        var line = $"[{new string('#', filled)}{new string('.', width - filled)}] {fraction,4:P0}  " +
            $"{value.RowsRead,10:N0} rows  {value.BytesWritten / 1048576.0,7:N1} MB  part {value.CurrentPart}  " +
            $"{value.FilesCommitted} file(s)  {rate / 1000,6:N0}k rows/s";
        if (_interactive)
        {
            Console.Write("\r" + line);
            if (done)
            {
                Console.WriteLine();
            }
        }
        else
        {
            Console.WriteLine(line);
        }
    }
}
