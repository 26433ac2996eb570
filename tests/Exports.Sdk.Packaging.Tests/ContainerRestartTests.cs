using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Exports.Sdk.Packaging.Tests;

/// <summary>
/// Issue 21, item 2, as a container sees it: the QuickStart runs as PID 1 of its own PID namespace with a fixed host
/// name, is killed with SIGKILL in the middle of an export, and is started again, again as PID 1 on the same host name.
/// The restarted process must not be refused with "already in progress": it runs, and the dead run is recorded failed.
/// </summary>
[Collection(nameof(PackagingTests))]
public sealed class ContainerRestartTests : IDisposable
{
    private static readonly string Output = Path.Combine(Repository.Root, "samples", "Exports.QuickStart", "bin", Repository.Configuration, "net10.0");
    private readonly string _root = Directory.CreateTempSubdirectory("exports-container-").FullName;

    [Fact]
    public async Task QuickStart_KilledMidRun_RestartedAsPid1OnTheSameHost_RunsAgain_AndTheDeadRunIsFailed()
    {
        using (var first = Start(audienceSize: 200_000_000))
        {
            // Drained so that a full pipe never stalls it.
            first.OutputDataReceived += (_, _) => { };
            first.ErrorDataReceived += (_, _) => { };
            first.BeginOutputReadLine();
            first.BeginErrorReadLine();
            // Wait until the run is recorded as running in the file store, then kill the whole namespace (PID 1 dies).
            await WaitUntilAsync(() => Runs().Any(r => r["status"]?.GetValue<string>() == "Running"), TimeSpan.FromSeconds(60), first);
            first.Kill(entireProcessTree: true);
            await first.WaitForExitAsync();
        }

        var dead = Runs().Should().ContainSingle().Which;
        dead["status"]!.GetValue<string>().Should().Be("Running", "a killed process records nothing");
        dead["host"]!.GetValue<string>().Should().StartWith("exports-box");

        using var second = Start(audienceSize: 1_000);
        var stdout = second.StandardOutput.ReadToEndAsync();
        var stderr = second.StandardError.ReadToEndAsync();
        await second.WaitForExitAsync();
        var output = await stdout + await stderr;

        second.ExitCode.Should().Be(0, output);
        output.Should().Contain("Succeeded").And.NotContain("already in progress");
        var runs = Runs();
        runs.Should().HaveCount(2);
        var failed = runs.Single(r => r["runId"]!.GetValue<string>() == dead["runId"]!.GetValue<string>());
        failed["status"]!.GetValue<string>().Should().Be("Failed");
        string.Join(" ", failed["errors"]!.AsArray().Select(e => e!.GetValue<string>())).Should().Contain("exports-box");
        runs.Should().ContainSingle(r => r["status"]!.GetValue<string>() == "Succeeded");
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>The QuickStart as PID 1 of a new PID and UTS namespace whose host name is always exports-box.</summary>
    private Process Start(long audienceSize)
    {
        var start = new ProcessStartInfo("unshare") { WorkingDirectory = _root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[]
        {
            "--pid", "--fork", "--uts", "--mount-proc", "sh", "-c", "hostname exports-box && exec dotnet \"$0\" \"$@\"",
            Path.Combine(Output, "Exports.QuickStart.dll"),
            $"--QuickStart:AudienceSize={audienceSize}",
            $"--Exports:StorePath={Path.Combine(_root, "store")}",
            $"--Exports:Destinations:demo-folder:Settings:path={Path.Combine(_root, "out")}",
        })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        return Process.Start(start)!;
    }

    private List<JsonNode> Runs()
    {
        var folder = Path.Combine(_root, "store", "runs");
        return Directory.Exists(folder)
            ? [.. Directory.EnumerateFiles(folder, "*.json", SearchOption.AllDirectories).Where(f => !f.Contains(".tmp-", StringComparison.Ordinal)).Select(f => JsonNode.Parse(File.ReadAllText(f))!)]
            : [];
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, Process process)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The QuickStart did not start its run (exited: {process.HasExited}).");
            }

            await Task.Delay(100);
        }
    }
}
