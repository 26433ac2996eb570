using System.Diagnostics;
using System.Runtime.InteropServices;
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
    private const int Sigstop = 19;
    private const int Sigcont = 18;
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
            // Wait until the run has published parts (each recorded before its commit) and is writing one, seen while the
            // process is frozen so that the moment seen is the moment killed; then kill the whole namespace.
            await WaitUntilFrozenAsync(first, () => Runs().Any(r => r["status"]?.GetValue<string>() == "Running" && r["leftoverFiles"]?.AsArray().Count >= 2 && r["leftoverWrites"]?.AsArray().Count >= 1)
                && VisibleFiles().Count >= 1 && TempFiles().Count >= 1, TimeSpan.FromSeconds(60));
            first.Kill(entireProcessTree: true);
            await first.WaitForExitAsync();
        }

        var dead = Runs().Should().ContainSingle().Which;
        dead["status"]!.GetValue<string>().Should().Be("Running", "a killed process records nothing");
        VisibleFiles().Should().NotBeEmpty("the killed run had published parts");
        var recordedTemps = dead["leftoverWrites"]!.AsArray().Select(w => w!["token"]!.GetValue<string>()).ToList();
        TempFiles().Select(Path.GetFileName).Should().NotBeEmpty("the killed run was writing a part")
            .And.BeSubsetOf(recordedTemps, "a temp file is on record before it exists, so none can be left unnamed");
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

    /// <summary>Freezes the QuickStart (SIGSTOP) until <paramref name="condition"/> holds while it is frozen; it stays frozen.</summary>
    private static async Task WaitUntilFrozenAsync(Process process, Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        int? child = null;
        while (true)
        {
            // unshare --fork runs the QuickStart as its child (PID 1 of the new namespace).
            child ??= File.ReadAllText($"/proc/{process.Id}/task/{process.Id}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries) is [var only] ? int.Parse(only, System.Globalization.CultureInfo.InvariantCulture) : null;
            if (child is { } pid)
            {
                Signal(pid, Sigstop);
                // Each thread stops when it is next scheduled: wait until the kernel reports all of them stopped.
                while (!AllThreadsStopped(pid) && !process.HasExited && DateTime.UtcNow < deadline)
                {
                    await Task.Delay(5);
                }

                if (condition())
                {
                    return;
                }

                Signal(pid, Sigcont);
            }

            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The QuickStart did not start its run (exited: {process.HasExited}).");
            }

            await Task.Delay(100);
        }
    }

    private static bool AllThreadsStopped(int pid)
    {
        foreach (var thread in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            try
            {
                // /proc/<pid>/task/<tid>/stat: "tid (name) state ...".
                if (!File.ReadAllText(Path.Combine(thread, "stat")).Split(')')[^1].TrimStart().StartsWith('T'))
                {
                    return false;
                }
            }
            catch (IOException)
            {
                // The thread ended meanwhile.
            }
        }

        return true;
    }

    private static void Signal(int pid, int signal)
    {
        if (Kill(pid, signal) != 0)
        {
            throw new InvalidOperationException($"kill({pid}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
