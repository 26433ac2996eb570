using System.Diagnostics;

namespace Exports.Sdk.Throughput;

/// <summary>A shell pipeline (bash, pipefail), timed as a whole: the anchors a team would script instead of the SDK.</summary>
internal static class ShellRun
{
    public static async Task<double> TimeAsync(string script, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("set -euo pipefail; " + script);
        // rclone's S3 client cannot load a custom CA bundle into its own transport and fails at once when one is set
        // (some machines set AWS_CA_BUNDLE); fauxqs is plain HTTP, so it is not needed.
        start.Environment.Remove("AWS_CA_BUNDLE");
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        clock.Stop();
        return process.ExitCode == 0
            ? clock.Elapsed.TotalSeconds
            : throw new InvalidOperationException($"'{script}' failed ({process.ExitCode}): {await error}{await output}");
    }

    /// <summary>Whether a command is on the PATH.</summary>
    public static bool Has(string command) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(dir => File.Exists(Path.Combine(dir, command)));
}
