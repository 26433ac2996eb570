using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Exports.Sdk.Packaging.Tests;

/// <summary>
/// Issue 21, item 2, as a container sees it: the QuickStart runs as PID 1 of its own PID namespace with a fixed host
/// name, is killed with SIGKILL in the middle of an export, and is started again, again as PID 1 on the same host name.
/// The restarted process must not be refused with "already in progress": it runs, and the dead run is recorded failed.
/// Item 10 too: the parts the dead run had published, and the temp file of the part it was writing (however young), are
/// removed, so the folder holds only the new run's files.
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
            // Wait until the run has published parts (each recorded before its commit), then kill the whole namespace.
            await WaitUntilAsync(() => Runs().Any(r => r["status"]?.GetValue<string>() == "Running" && r["leftoverFiles"]?.AsArray().Count >= 2 && r["leftoverWrites"]?.AsArray().Count >= 1)
                && VisibleFiles().Count >= 1, TimeSpan.FromSeconds(60), first);
            first.Kill(entireProcessTree: true);
            await first.WaitForExitAsync();
        }

        var dead = Runs().Should().ContainSingle().Which;
        dead["status"]!.GetValue<string>().Should().Be("Running", "a killed process records nothing");
        VisibleFiles().Should().NotBeEmpty("the killed run had published parts");
        TempFiles().Should().NotBeEmpty("the killed run was writing a part");
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
        var good = runs.Should().ContainSingle(r => r["status"]!.GetValue<string>() == "Succeeded").Which;
        failed["leftoverFiles"]!.AsArray().Should().BeEmpty("the new run removed what the dead one left");
        failed["leftoverWrites"]!.AsArray().Should().BeEmpty("the dead run's temp file was removed too");
        TempFiles().Should().BeEmpty("the temp file is removed at once, not after a lease");
        var delivered = good["entries"]!.AsArray().SelectMany(e => e!["files"]!.AsArray()).Select(f => f!["path"]!.GetValue<string>()).Append(good["manifestPath"]!.GetValue<string>());
        VisibleFiles().Should().BeEquivalentTo(delivered, "only the new run's files and manifest are at the destination");
    }

    /// <summary>The destination folder's files a partner would pick up (not the hidden temp files).</summary>
    private List<string> VisibleFiles()
    {
        var folder = Path.Combine(_root, "out");
        return Directory.Exists(folder) ? [.. Directory.EnumerateFiles(folder).Select(f => Path.GetFileName(f)).Where(n => !n.StartsWith('.'))] : [];
    }

    /// <summary>The hidden temp files of parts being written.</summary>
    private List<string> TempFiles()
    {
        var folder = Path.Combine(_root, "out");
        return Directory.Exists(folder) ? [.. Directory.EnumerateFiles(folder, ".exports-tmp-*")] : [];
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
            "--Exports:Destinations:demo-folder:Output:MaxRowsPerFile=50000",
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
