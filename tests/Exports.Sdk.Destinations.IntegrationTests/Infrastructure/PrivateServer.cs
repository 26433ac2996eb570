using System.Diagnostics;
using System.Net.Sockets;

namespace Exports.Sdk.Destinations.IntegrationTests.Infrastructure;

/// <summary>
/// A server instance of its own for fault tests (fauxqs, Azurite or sshd on a free 127.0.0.1 port, with the binaries
/// scripts/services.sh installed), which a test may kill in the middle of an upload and start again with the same
/// state, without disturbing the shared servers.
/// </summary>
public sealed class PrivateServer : IAsyncDisposable
{
    private readonly ProcessStartInfo _start;
    private readonly Func<int, Task<bool>> _ready;
    private readonly List<string> _cleanup;
    private Process? _process;

    private PrivateServer(int port, ProcessStartInfo start, Func<int, Task<bool>> ready, List<string> cleanup)
    {
        Port = port;
        _start = start;
        _ready = ready;
        _cleanup = cleanup;
    }

    public int Port { get; }

    /// <summary>The server's own log, where it writes one (sshd).</summary>
    public string? LogFile { get; private init; }

    /// <summary>fauxqs keeping objects in a folder, so they survive a restart.</summary>
    public static async Task<PrivateServer> StartFauxqsAsync()
    {
        var services = TestServices.Current;
        var port = BlackHoleServer.ClosedPort();
        var storage = Directory.CreateTempSubdirectory("exports-fauxqs-").FullName;
        var start = new ProcessStartInfo(services["NODE"], [services["FAUXQS_LAUNCHER"]]);
        start.Environment["FAUXQS_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["FAUXQS_MODULES"] = services["FAUXQS_MODULES"];
        start.Environment["FAUXQS_S3_STORAGE_DIR"] = storage;
        var server = new PrivateServer(port, start, p => HttpReadyAsync($"http://127.0.0.1:{p}/health", 200), [storage]);
        await server.StartAsync();
        return server;
    }

    /// <summary>Azurite keeping blobs (and staged blocks) in a folder, so they survive a restart.</summary>
    public static async Task<PrivateServer> StartAzuriteAsync()
    {
        var services = TestServices.Current;
        var port = BlackHoleServer.ClosedPort();
        var location = Directory.CreateTempSubdirectory("exports-azurite-").FullName;
        var start = new ProcessStartInfo(services["NODE"],
        [
            services["AZURITE_MAIN"], "--blobHost", "127.0.0.1", "--blobPort", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--location", location, "--loose", "--skipApiVersionCheck", "--disableTelemetry", "--silent",
        ]);
        var server = new PrivateServer(port, start, p => HttpReadyAsync($"http://127.0.0.1:{p}/devstoreaccount1?comp=list", 403), [location]);
        await server.StartAsync();
        return server;
    }

    /// <summary>
    /// A second sshd for the shared test user; <paramref name="alternateHostKeys"/> makes it present other host keys, and
    /// <paramref name="settings"/> are added to its configuration (before its <c>Match</c> block). It logs to <see cref="LogFile"/>.
    /// </summary>
    public static async Task<PrivateServer> StartSshdAsync(bool alternateHostKeys = false, params string[] settings)
    {
        var services = TestServices.Current;
        var port = BlackHoleServer.ClosedPort();
        var folder = Directory.CreateTempSubdirectory("exports-sshd-").FullName;
        var config = File.ReadAllLines(Path.Combine(services["SFTP_DIR"], "sshd_config"))
            .Select(line => line.StartsWith("Port ", StringComparison.Ordinal) ? $"Port {port}"
                : line.StartsWith("PidFile ", StringComparison.Ordinal) ? $"PidFile {folder}/sshd.pid"
                : alternateHostKeys && line.StartsWith("HostKey ", StringComparison.Ordinal) ? line.Replace("/ssh_host_", "/alt_host_", StringComparison.Ordinal)
                : line)
            .ToList();
        var match = config.FindIndex(line => line.StartsWith("Match ", StringComparison.Ordinal));
        config.InsertRange(match < 0 ? config.Count : match, settings);
        var configPath = Path.Combine(folder, "sshd_config");
        await File.WriteAllLinesAsync(configPath, config);
        // -D: stay in the foreground, so this process is the listener and the sessions are its children.
        var log = Path.Combine(folder, "sshd.log");
        var start = new ProcessStartInfo(services["SSHD"], ["-D", "-f", configPath, "-E", log]);
        var server = new PrivateServer(port, start, SshReadyAsync, [folder]) { LogFile = log };
        await server.StartAsync();
        return server;
    }

    /// <summary>A second ProFTPD mod_sftp (no posix-rename) for the shared test user, in the foreground.</summary>
    public static async Task<PrivateServer> StartProftpdAsync()
    {
        var services = TestServices.Current;
        var port = BlackHoleServer.ClosedPort();
        var folder = Directory.CreateTempSubdirectory("exports-proftpd-").FullName;
        string[] own = ["Port", "PidFile", "ScoreboardFile", "DelayTable", "SystemLog", "SFTPLog"];
        var config = File.ReadAllLines(Path.Combine(services["PROFTPD_DIR"], "proftpd.conf"))
            .Select(line => own.FirstOrDefault(key => line.StartsWith(key + " ", StringComparison.Ordinal)) is { } key
                ? key == "Port" ? $"Port {port}" : $"{key} {folder}/{key.ToLowerInvariant()}"
                : line);
        var configPath = Path.Combine(folder, "proftpd.conf");
        await File.WriteAllLinesAsync(configPath, config);
        // -n: stay in the foreground, so this process is the listener and the sessions are its children.
        var start = new ProcessStartInfo(services["PROFTPD"], ["-n", "-c", configPath]);
        var server = new PrivateServer(port, start, SshReadyAsync, [folder]);
        await server.StartAsync();
        return server;
    }

    /// <summary>Kills the server and everything it started (SIGKILL: no clean shutdown), like a crash.</summary>
    public async Task KillAsync()
    {
        if (_process is null)
        {
            return;
        }

        foreach (var child in ChildrenOf(_process.Id))
        {
            try
            {
                Process.GetProcessById(child).Kill(entireProcessTree: true);
            }
            catch (ArgumentException)
            {
            }
        }

        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        _process = null;
    }

    /// <summary>Starts the server again, on the same port and with the same stored state.</summary>
    public Task RestartAsync() => StartAsync();

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        foreach (var path in _cleanup.Where(Directory.Exists))
        {
            Directory.Delete(path, recursive: true);
        }
    }

    private async Task StartAsync()
    {
        _start.RedirectStandardOutput = true;
        _start.RedirectStandardError = true;
        _start.UseShellExecute = false;
        _process = Process.Start(_start) ?? throw new InvalidOperationException($"Could not start {_start.FileName}.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await _ready(Port))
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"{Path.GetFileName(_start.FileName)} {string.Join(' ', _start.ArgumentList)} did not become ready on port {Port}.");
            }

            await Task.Delay(100);
        }
    }

    private static List<int> ChildrenOf(int pid)
    {
        var children = new List<int>();
        var taskDir = $"/proc/{pid}/task";
        if (!Directory.Exists(taskDir))
        {
            return children;
        }

        foreach (var task in Directory.EnumerateDirectories(taskDir))
        {
            var file = Path.Combine(task, "children");
            if (File.Exists(file))
            {
                children.AddRange(File.ReadAllText(file).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse));
            }
        }

        return children;
    }

    private static async Task<bool> HttpReadyAsync(string url, int status)
    {
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            using var response = await http.GetAsync(url);
            return (int)response.StatusCode == status;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    private static async Task<bool> SshReadyAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", port);
            var buffer = new byte[7];
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            var read = await client.GetStream().ReadAtLeastAsync(buffer, 7, throwOnEndOfStream: false, cts.Token);
            return read == 7 && System.Text.Encoding.ASCII.GetString(buffer) == "SSH-2.0";
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }
}
