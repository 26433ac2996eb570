using Exports.Sdk.EndToEnd;
using System.Globalization;
using ScottPlot;

namespace Exports.Sdk.Throughput;

/// <summary>
/// How cost grows: the PostgreSQL table at each size exported as CSV.gz to a local folder, each in a process of its
/// own, cold and then as a running host (the process's second export), with both rates and the peak RSS; printed, and
/// drawn as a PNG (rows/s and peak RSS against rows, log scale).
/// </summary>
internal static class ScalingReport
{
    public static async Task RunAsync(Args options, string plotPath)
    {
        var env = ServicesEnvironment.Load();
        var points = new List<(long Rows, double ColdRowsPerSecond, double HostRowsPerSecond, long PeakRssMB)>();
        Console.WriteLine("| rows | seconds, cold | M rows/s, cold | seconds, running host | M rows/s, running host | peak RSS MB |");
        Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var rows in options.Sizes)
        {
            await ProfileTable.EnsureAsync(env.PostgresConnectionString, rows);
            var (cold, host, _, _, rss, _, _) = await EndToEndReport.RunSdkAsync("local", rows, Path.Combine(options.Folder, "scale-pg"), null);
            points.Add((rows, rows / cold, rows / host, rss));
            Console.WriteLine($"| {rows:N0} | {cold:F2} | {rows / cold / 1e6:F2} | {host:F2} | {rows / host / 1e6:F2} | {rss} |");
        }

        var plot = new Plot();
        double[] xs = [.. points.Select(p => Math.Log10(p.Rows))];
        foreach (var (label, rates) in new[] { ("M rows/s, running host (left)", points.Select(p => p.HostRowsPerSecond)), ("M rows/s, cold process (left)", points.Select(p => p.ColdRowsPerSecond)) })
        {
            var rate = plot.Add.Scatter(xs, [.. rates.Select(r => r / 1e6)]);
            rate.LegendText = label;
            rate.LineWidth = 2;
            rate.MarkerSize = 8;
        }

        var memory = plot.Add.Scatter(xs, [.. points.Select(p => (double)p.PeakRssMB)]);
        memory.LegendText = "peak RSS, MB (right)";
        memory.LineWidth = 2;
        memory.MarkerSize = 8;
        memory.Axes.YAxis = plot.Axes.Right;
        plot.Axes.Bottom.SetTicks(xs, [.. points.Select(p => p.Rows.ToString("N0", CultureInfo.InvariantCulture))]);
        plot.Axes.Bottom.Label.Text = "rows (log scale)";
        plot.Axes.Left.Label.Text = "M rows/s";
        plot.Axes.Right.Label.Text = "peak RSS, MB";
        plot.Axes.SetLimitsY(0, points.Max(p => p.HostRowsPerSecond / 1e6) * 1.4, plot.Axes.Left);
        plot.Axes.SetLimitsY(0, Math.Max(250, points.Max(p => p.PeakRssMB) * 1.25), plot.Axes.Right);
        plot.Axes.SetLimitsX(xs[0] - 0.2, xs[^1] + 0.2);
        plot.Title($"PostgreSQL → CSV.gz → local folder, {Environment.ProcessorCount} cores");
        plot.ShowLegend(Alignment.LowerRight);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(plotPath))!);
        plot.SavePng(plotPath, 900, 480);
        Console.WriteLine($"Plot written to {plotPath}");
    }
}
