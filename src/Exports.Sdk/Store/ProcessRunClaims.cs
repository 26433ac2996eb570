using System.Collections.Concurrent;

namespace Exports.Sdk;

/// <summary>
/// The runs this process has claimed in a built-in store and not yet finished. A record that names this machine and
/// process id but is not here was left by an earlier process with the same id (a restarted container is PID 1 again).
/// </summary>
internal static class ProcessRunClaims
{
    private static readonly ConcurrentDictionary<(string DataflowId, string RunId), byte> Claims = new();

    public static void Add(ExportRunRecord run) => Claims[(run.DataflowId, run.RunId)] = 0;

    public static void Remove(ExportRunRecord run) => Claims.TryRemove((run.DataflowId, run.RunId), out _);

    public static bool Contains(ExportRunRecord run) => Claims.ContainsKey((run.DataflowId, run.RunId));
}
