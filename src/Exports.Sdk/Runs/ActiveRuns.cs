using System.Collections.Concurrent;

namespace Exports.Sdk;

/// <summary>The runs this host is executing (queued or running), by run id: cancelled here at once, and all of them when the host stops.</summary>
internal sealed class ActiveRuns
{
    private readonly ConcurrentDictionary<string, ActiveRun> _runs = new(StringComparer.Ordinal);

    public void Add(ActiveRun run) => _runs[run.RunId] = run;

    public void Remove(ActiveRun run) => _runs.TryRemove(new KeyValuePair<string, ActiveRun>(run.RunId, run));

    public bool TryGet(string runId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ActiveRun? run) => _runs.TryGetValue(runId, out run);

    public int Count => _runs.Count;

    /// <summary>The current record of each.</summary>
    public IReadOnlyList<ExportRunRecord> Records => [.. _runs.Values.Select(r => r.Record)];

    public void CancelAll(string reason)
    {
        foreach (var run in _runs.Values)
        {
            run.Cancel(reason);
        }
    }
}
