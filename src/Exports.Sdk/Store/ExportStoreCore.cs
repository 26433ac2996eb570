using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Exports.Sdk;

/// <summary>The store rules shared by the built-in stores: ETags, atomic run claims, stale-claim recovery.</summary>
internal sealed class ExportStoreCore(IStoreBackend backend, TimeProvider timeProvider)
{
    /// <summary>This process, as recorded in <see cref="ExportRunRecord.Host"/>.</summary>
    public static readonly string CurrentHost = $"{Environment.MachineName}/{Environment.ProcessId}";

    /// <summary>How long a claim holds without renewal: the running host renews it with every progress save.</summary>
    public static readonly TimeSpan RunLease = TimeSpan.FromMinutes(2);

    /// <summary>
    /// What was read of each run record, by its version: a history is read whole once per process, then only what
    /// changed, so listing an export's newest run or claiming one does not read every run it ever had.
    /// </summary>
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, (StoreVersion Version, RunSummary Summary)>> _summaries = new(StringComparer.Ordinal);

    private static ExportStoreJsonContext Json => ExportStoreJsonContext.Default;

    public async ValueTask<StoredDataflow?> GetDataflowAsync(string id, CancellationToken cancellationToken)
    {
        var bytes = await backend.ReadAsync(new StoreKey(StoreRecordKind.Dataflow, id), cancellationToken).ConfigureAwait(false);
        return bytes is null ? null : JsonSerializer.Deserialize(bytes, Json.StoredDataflow);
    }

    public async IAsyncEnumerable<StoredDataflow> ListDataflowsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var key in await backend.ListAsync(StoreRecordKind.Dataflow, null, cancellationToken).ConfigureAwait(false))
        {
            if (await GetDataflowAsync(key.DataflowId, cancellationToken).ConfigureAwait(false) is { } dataflow)
            {
                yield return dataflow;
            }
        }
    }

    public async ValueTask<StoredDataflow> CreateDataflowAsync(DataflowDefinition dataflow, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataflow);
        ArgumentException.ThrowIfNullOrEmpty(dataflow.Id);
        var locked = await backend.LockAsync(cancellationToken).ConfigureAwait(false);
        await using (locked.ConfigureAwait(false))
        {
            if (await GetDataflowAsync(dataflow.Id, cancellationToken).ConfigureAwait(false) is not null)
            {
                throw new ExportConcurrencyException($"A dataflow with the id '{dataflow.Id}' already exists.");
            }

            if (await GetDatasetExportAsync(dataflow.Id, cancellationToken).ConfigureAwait(false) is not null)
            {
                throw new ExportConcurrencyException($"A dataset export with the id '{dataflow.Id}' already exists; ids are shared by dataflows and dataset exports.");
            }

            var now = timeProvider.GetUtcNow();
            var stored = new StoredDataflow(dataflow.Clone(), NewETag(), now, now);
            await WriteDataflowAsync(stored, cancellationToken).ConfigureAwait(false);
            return stored;
        }
    }

    public async ValueTask<StoredDataflow> UpdateDataflowAsync(DataflowDefinition dataflow, string etag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataflow);
        var locked = await backend.LockAsync(cancellationToken).ConfigureAwait(false);
        await using (locked.ConfigureAwait(false))
        {
            var current = await RequireCurrentAsync(dataflow.Id, etag, "update", cancellationToken).ConfigureAwait(false);
            var stored = new StoredDataflow(dataflow.Clone(), NewETag(), current.CreatedAt, timeProvider.GetUtcNow());
            await WriteDataflowAsync(stored, cancellationToken).ConfigureAwait(false);
            return stored;
        }
    }

    public async ValueTask<IReadOnlyList<StoredDataflow>> UpdateDataflowsAsync(IReadOnlyList<DataflowUpdate> updates, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(updates);
        if (updates.GroupBy(u => u.Dataflow.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new ArgumentException($"Dataflow '{twice.Key}' is listed more than once.", nameof(updates));
        }

        var locked = await backend.LockAsync(cancellationToken).ConfigureAwait(false);
        await using (locked.ConfigureAwait(false))
        {
            // Every check before any write, under the one lock: a stale ETag anywhere writes nothing.
            var stored = new List<StoredDataflow>(updates.Count);
            foreach (var update in updates)
            {
                var current = await RequireCurrentAsync(update.Dataflow.Id, update.ETag, "update", cancellationToken).ConfigureAwait(false);
                stored.Add(new StoredDataflow(update.Dataflow.Clone(), NewETag(), current.CreatedAt, timeProvider.GetUtcNow()));
            }

            foreach (var dataflow in stored)
            {
                await WriteDataflowAsync(dataflow, CancellationToken.None).ConfigureAwait(false);
            }

            return stored;
        }
    }

    public async ValueTask DeleteDataflowAsync(string id, string etag, CancellationToken cancellationToken)
    {
        var locked = await backend.LockAsync(cancellationToken).ConfigureAwait(false);
        await using (locked.ConfigureAwait(false))
        {
            await RequireCurrentAsync(id, etag, "delete", cancellationToken).ConfigureAwait(false);
            await backend.DeleteAsync(new StoreKey(StoreRecordKind.Dataflow, id), cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask<StoredDestination?> GetDestinationAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var bytes = await backend.ReadAsync(DestinationKey(name), cancellationToken).ConfigureAwait(false);
        return bytes is null ? null : JsonSerializer.Deserialize(bytes, Json.StoredDestination);
    }

    public async IAsyncEnumerable<StoredDestination> ListDestinationsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var key in await backend.ListAsync(StoreRecordKind.Destination, null, cancellationToken).ConfigureAwait(false))
        {
            if (await backend.ReadAsync(key, cancellationToken).ConfigureAwait(false) is { } bytes)
            {
                yield return JsonSerializer.Deserialize(bytes, Json.StoredDestination)!;
            }
        }
    }

    public async ValueTask<StoredDestination> CreateDestinationAsync(DestinationDefinition destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentException.ThrowIfNullOrEmpty(destination.Name);
        var locked = await backend.LockAsync(cancellationToken).ConfigureAwait(false);
        await using (locked.ConfigureAwait(false))
        {
            if (await GetDestinationAsync(destination.Name, cancellationToken).ConfigureAwait(false) is { } existing)
            {
                throw new ExportConcurrencyException($"A destination named '{existing.Definition.Name}' already exists.");
            }

            var now = timeProvider.GetUtcNow();
            var stored = new StoredDestination(destination.Clone(), NewETag(), now, now);
            await WriteDestinationAsync(stored, cancellationToken).ConfigureAwait(false);
            return stored;
        }
    }

    public async ValueTask<StoredDestination> UpdateDestinationAsync(DestinationDefinition destination, string etag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var locked = await backend.LockAsync(cancellationToken).ConfigureAwait(false);
        await using (locked.ConfigureAwait(false))
        {
            var current = await RequireCurrentDestinationAsync(destination.Name, etag, "update", cancellationToken).ConfigureAwait(false);
            var stored = new StoredDestination(destination.Clone(), NewETag(), current.CreatedAt, timeProvider.GetUtcNow());
            await WriteDestinationAsync(stored, cancellationToken).ConfigureAwait(false);
            return stored;
        }
    }

    public async ValueTask DeleteDestinationAsync(string name, string etag, CancellationToken cancellationToken)
    {
        var locked = await backend.LockAsync(cancellationToken).ConfigureAwait(false);
        await using (locked.ConfigureAwait(false))
        {
            await RequireCurrentDestinationAsync(name, etag, "delete", cancellationToken).ConfigureAwait(false);
            await backend.DeleteAsync(DestinationKey(name), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Names compare case-insensitively, as configured destinations do.</summary>
    private static StoreKey DestinationKey(string name) => new(StoreRecordKind.Destination, name.ToLowerInvariant());

    private async ValueTask<StoredDestination> RequireCurrentDestinationAsync(string name, string etag, string operation, CancellationToken cancellationToken) =>
        Current(await GetDestinationAsync(name, cancellationToken).ConfigureAwait(false), d => d.ETag, $"destination '{name}'", etag, operation);

    private ValueTask WriteDestinationAsync(StoredDestination stored, CancellationToken cancellationToken) =>
        backend.WriteAsync(DestinationKey(stored.Definition.Name), JsonSerializer.SerializeToUtf8Bytes(stored, Json.StoredDestination), cancellationToken);

    public async ValueTask<StoredDatasetExport?> GetDatasetExportAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        var bytes = await backend.ReadAsync(new StoreKey(StoreRecordKind.DatasetExport, id), cancellationToken).ConfigureAwait(false);
        return bytes is null ? null : JsonSerializer.Deserialize(bytes, Json.StoredDatasetExport);
    }

    public async IAsyncEnumerable<StoredDatasetExport> ListDatasetExportsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var key in await backend.ListAsync(StoreRecordKind.DatasetExport, null, cancellationToken).ConfigureAwait(false))
        {
            if (await GetDatasetExportAsync(key.DataflowId, cancellationToken).ConfigureAwait(false) is { } export)
            {
                yield return export;
            }
        }
    }

    public async ValueTask<StoredDatasetExport> CreateDatasetExportAsync(DatasetExportDefinition export, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(export);
        ArgumentException.ThrowIfNullOrEmpty(export.Id);
        var locked = await backend.LockAsync(cancellationToken).ConfigureAwait(false);
        await using (locked.ConfigureAwait(false))
        {
            // One id names one export: runs and state are kept by it.
            if (await GetDatasetExportAsync(export.Id, cancellationToken).ConfigureAwait(false) is not null
                || await GetDataflowAsync(export.Id, cancellationToken).ConfigureAwait(false) is not null)
            {
                throw new ExportConcurrencyException($"An export with the id '{export.Id}' already exists.");
            }

            var now = timeProvider.GetUtcNow();
            var stored = new StoredDatasetExport(export.Clone(), NewETag(), now, now);
            await WriteDatasetExportAsync(stored, cancellationToken).ConfigureAwait(false);
            return stored;
        }
    }

    public async ValueTask<StoredDatasetExport> UpdateDatasetExportAsync(DatasetExportDefinition export, string etag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(export);
        var locked = await backend.LockAsync(cancellationToken).ConfigureAwait(false);
        await using (locked.ConfigureAwait(false))
        {
            var current = await RequireCurrentDatasetExportAsync(export.Id, etag, "update", cancellationToken).ConfigureAwait(false);
            var stored = new StoredDatasetExport(export.Clone(), NewETag(), current.CreatedAt, timeProvider.GetUtcNow());
            await WriteDatasetExportAsync(stored, cancellationToken).ConfigureAwait(false);
            return stored;
        }
    }

    public async ValueTask DeleteDatasetExportAsync(string id, string etag, CancellationToken cancellationToken)
    {
        var locked = await backend.LockAsync(cancellationToken).ConfigureAwait(false);
        await using (locked.ConfigureAwait(false))
        {
            await RequireCurrentDatasetExportAsync(id, etag, "delete", cancellationToken).ConfigureAwait(false);
            await backend.DeleteAsync(new StoreKey(StoreRecordKind.DatasetExport, id), cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask<StoredDatasetExport> RequireCurrentDatasetExportAsync(string id, string etag, string operation, CancellationToken cancellationToken) =>
        Current(await GetDatasetExportAsync(id, cancellationToken).ConfigureAwait(false), d => d.ETag, $"dataset export '{id}'", etag, operation);

    private ValueTask WriteDatasetExportAsync(StoredDatasetExport stored, CancellationToken cancellationToken) =>
        backend.WriteAsync(new StoreKey(StoreRecordKind.DatasetExport, stored.Definition.Id), JsonSerializer.SerializeToUtf8Bytes(stored, Json.StoredDatasetExport), cancellationToken);

    public async ValueTask<RunStartResult> TryStartRunAsync(ExportRunRecord run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var locked = await backend.LockAsync(cancellationToken).ConfigureAwait(false);
        await using (locked.ConfigureAwait(false))
        {
            var wanted = run.AudienceIds.ToHashSet(StringComparer.Ordinal);
            var conflicts = new List<RunConflict>();
            foreach (var (key, summary, read) in await SummariesAsync(run.DataflowId, cancellationToken).ConfigureAwait(false))
            {
                // Under the lock: an ended run that became active again has a new version, so it was read again.
                var other = summary.IsActive ? read ?? await ReadRunAsync(key, cancellationToken).ConfigureAwait(false) : null;
                if (other is null || !other.IsActive)
                {
                    continue;
                }

                if (IsAbandoned(other))
                {
                    // Its process is gone: record that, so the audience is free again.
                    await WriteRunAsync(Interrupted(other), cancellationToken).ConfigureAwait(false);
                    continue;
                }

                // The same run id still active means another attempt at the same slot is under way: that is a conflict too.
                conflicts.AddRange(other.RunId == run.RunId
                    ? other.AudienceIds.Select(a => new RunConflict(a, other.RunId))
                    : other.AudienceIds.Where(wanted.Contains).Select(a => new RunConflict(a, other.RunId)));
            }

            if (conflicts.Count > 0)
            {
                return new RunStartResult(false, conflicts);
            }

            var claimed = run with { Host = run.Host ?? CurrentHost, LeaseExpiresAt = run.IsActive ? timeProvider.GetUtcNow() + RunLease : null };
            await WriteRunAsync(claimed, cancellationToken).ConfigureAwait(false);
            if (claimed.IsActive)
            {
                ProcessRunClaims.Add(claimed);
            }

            return new RunStartResult(true, []);
        }
    }

    public async ValueTask SaveRunAsync(ExportRunRecord run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var locked = await backend.LockAsync(cancellationToken).ConfigureAwait(false);
        await using (locked.ConfigureAwait(false))
        {
            if (await ReadRunAsync(new StoreKey(StoreRecordKind.Run, run.DataflowId, run.RunId), cancellationToken).ConfigureAwait(false) is { } stored)
            {
                // The claim recorded which host runs it, and a cancellation may have been asked for since: keep both.
                run = run with
                {
                    Host = run.Host ?? stored.Host,
                    CancelRequestedAt = run.CancelRequestedAt ?? stored.CancelRequestedAt,
                    CancelRequestedBy = run.CancelRequestedBy ?? stored.CancelRequestedBy,
                };
            }

            run = run with { LeaseExpiresAt = run.IsActive ? timeProvider.GetUtcNow() + RunLease : null };
            await WriteRunAsync(run, cancellationToken).ConfigureAwait(false);
            if (!run.IsActive)
            {
                ProcessRunClaims.Remove(run);
            }
        }
    }

    public async ValueTask<ExportRunRecord?> SaveRunProgressAsync(ExportRunRecord run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var locked = await backend.LockAsync(cancellationToken).ConfigureAwait(false);
        await using (locked.ConfigureAwait(false))
        {
            var stored = await ReadRunAsync(new StoreKey(StoreRecordKind.Run, run.DataflowId, run.RunId), cancellationToken).ConfigureAwait(false);
            if (stored is not { IsActive: true } || stored.Host != (run.Host ?? CurrentHost) || stored.CreatedAt != run.CreatedAt)
            {
                // Finished, or taken over (by another host, or a retry of the slot): not this claim's to write any more.
                return null;
            }

            var updated = run with
            {
                Host = stored.Host,
                CancelRequestedAt = stored.CancelRequestedAt,
                CancelRequestedBy = stored.CancelRequestedBy,
                LeaseExpiresAt = timeProvider.GetUtcNow() + RunLease,
            };
            await WriteRunAsync(updated, cancellationToken).ConfigureAwait(false);
            return updated;
        }
    }

    public async ValueTask<ExportRunRecord?> RequestRunCancellationAsync(string dataflowId, string runId, string? requestedBy, CancellationToken cancellationToken)
    {
        var locked = await backend.LockAsync(cancellationToken).ConfigureAwait(false);
        await using (locked.ConfigureAwait(false))
        {
            var stored = await ReadRunAsync(new StoreKey(StoreRecordKind.Run, dataflowId, runId), cancellationToken).ConfigureAwait(false);
            if (stored is not { IsActive: true } || stored.CancelRequestedAt is not null)
            {
                return stored;
            }

            var requested = stored with { CancelRequestedAt = timeProvider.GetUtcNow(), CancelRequestedBy = requestedBy };
            await WriteRunAsync(requested, cancellationToken).ConfigureAwait(false);
            return requested;
        }
    }

    public async ValueTask<ExportRunRecord?> FindRunAsync(string runId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runId);
        foreach (var key in await backend.ListAsync(StoreRecordKind.Run, null, cancellationToken).ConfigureAwait(false))
        {
            if (key.ItemId == runId)
            {
                return await ReadRunAsync(key, cancellationToken).ConfigureAwait(false);
            }
        }

        return null;
    }

    public async ValueTask<IReadOnlyList<ExportRunRecord>> FailAbandonedRunsAsync(CancellationToken cancellationToken)
    {
        var failed = new List<ExportRunRecord>();
        var locked = await backend.LockAsync(cancellationToken).ConfigureAwait(false);
        await using (locked.ConfigureAwait(false))
        {
            foreach (var (key, summary, read) in await SummariesAsync(null, cancellationToken).ConfigureAwait(false))
            {
                if (summary.IsActive && (read ?? await ReadRunAsync(key, cancellationToken).ConfigureAwait(false)) is { IsActive: true } run && IsAbandoned(run))
                {
                    var interrupted = Interrupted(run);
                    await WriteRunAsync(interrupted, cancellationToken).ConfigureAwait(false);
                    failed.Add(interrupted);
                }
            }
        }

        return failed;
    }

    public ValueTask<ExportRunRecord?> GetRunAsync(string dataflowId, string runId, CancellationToken cancellationToken) =>
        ReadRunAsync(new StoreKey(StoreRecordKind.Run, dataflowId, runId), cancellationToken);

    public async IAsyncEnumerable<ExportRunRecord> ListRunsAsync(string dataflowId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var (key, _, read) in NewestFirst(await SummariesAsync(dataflowId, cancellationToken).ConfigureAwait(false)))
        {
            if ((read ?? await ReadRunAsync(key, cancellationToken).ConfigureAwait(false)) is { } run)
            {
                yield return run;
            }
        }
    }

    public async IAsyncEnumerable<ExportRunRecord> ListRunsWithLeftoversAsync(string dataflowId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var (key, summary, read) in await SummariesAsync(dataflowId, cancellationToken).ConfigureAwait(false))
        {
            if (summary.HasLeftovers && (read ?? await ReadRunAsync(key, cancellationToken).ConfigureAwait(false)) is { } run)
            {
                yield return run;
            }
        }
    }

    public async ValueTask<ExportPage<ExportRunRecord>> SearchRunsAsync(string dataflowId, RunQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var matching = NewestFirst((await SummariesAsync(dataflowId, cancellationToken).ConfigureAwait(false))
            .Where(r => query.Status is null || r.Summary.Status == query.Status)).ToList();
        var page = new List<ExportRunRecord>();
        foreach (var (key, _, read) in matching.Skip(query.Skip).Take(query.Take))
        {
            // Changed since it was listed (a retried slot): it is shown as it is now, if it still matches.
            if ((read ?? await ReadRunAsync(key, cancellationToken).ConfigureAwait(false)) is { } run && (query.Status is null || run.Status == query.Status))
            {
                page.Add(run);
            }
        }

        return new ExportPage<ExportRunRecord>(page, matching.Count);
    }

    /// <summary>
    /// The runs of one export (of every export for null), each with its summary and, when it had to be read now (new or
    /// changed since, or not settled), its record. A record rewritten between the listing and the read is kept under the
    /// older version, so it is read again next time: a summary is never trusted past a change.
    /// </summary>
    private async ValueTask<List<(StoreKey Key, RunSummary Summary, ExportRunRecord? Read)>> SummariesAsync(string? dataflowId, CancellationToken cancellationToken)
    {
        var runs = new List<(StoreKey, RunSummary, ExportRunRecord?)>();
        var listed = await backend.ListVersionsAsync(StoreRecordKind.Run, dataflowId, cancellationToken).ConfigureAwait(false);
        foreach (var (key, version) in listed)
        {
            var known = _summaries.GetOrAdd(key.DataflowId, static _ => new(StringComparer.Ordinal));
            if (known.TryGetValue(key.ItemId!, out var cached) && cached.Version == version)
            {
                runs.Add((key, cached.Summary, null));
            }
            else if (await ReadRunAsync(key, cancellationToken).ConfigureAwait(false) is { } run)
            {
                var summary = RunSummary.Of(run);
                if (version.Settled)
                {
                    known[key.ItemId!] = (version, summary);
                }

                runs.Add((key, summary, run));
            }
        }

        // Runs gone from the store (removed by hand) go from memory too.
        var present = listed.Select(l => l.Key).ToHashSet();
        var flows = dataflowId is null ? _summaries : _summaries.Where(f => f.Key == dataflowId);
        foreach (var (flow, known) in flows)
        {
            foreach (var runId in known.Keys.Where(id => !present.Contains(new StoreKey(StoreRecordKind.Run, flow, id))))
            {
                known.TryRemove(runId, out _);
            }
        }

        return runs;
    }

    /// <summary>The order of <see cref="ListRunsAsync"/>: newest first, then by run id (ordinal), descending.</summary>
    private static IEnumerable<(StoreKey Key, RunSummary Summary, ExportRunRecord? Read)> NewestFirst(IEnumerable<(StoreKey Key, RunSummary Summary, ExportRunRecord? Read)> runs) =>
        runs.OrderByDescending(r => r.Summary.CreatedAt).ThenByDescending(r => r.Key.ItemId, StringComparer.Ordinal);

    public async ValueTask<AudienceExportState?> GetAudienceStateAsync(string dataflowId, string audienceId, CancellationToken cancellationToken)
    {
        var bytes = await backend.ReadAsync(new StoreKey(StoreRecordKind.AudienceState, dataflowId, audienceId), cancellationToken).ConfigureAwait(false);
        return bytes is null ? null : JsonSerializer.Deserialize(bytes, Json.AudienceExportState);
    }

    public async ValueTask SaveAudienceStateAsync(AudienceExportState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        var locked = await backend.LockAsync(cancellationToken).ConfigureAwait(false);
        await using (locked.ConfigureAwait(false))
        {
            var bytes = JsonSerializer.SerializeToUtf8Bytes(state, Json.AudienceExportState);
            await backend.WriteAsync(new StoreKey(StoreRecordKind.AudienceState, state.DataflowId, state.AudienceId), bytes, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string NewETag() => Guid.NewGuid().ToString("N");

    /// <summary>
    /// A run that can never finish: claimed by an earlier process with this machine name and process id, by a process
    /// of this machine that has ended, or by a host that stopped renewing its lease.
    /// </summary>
    private bool IsAbandoned(ExportRunRecord run)
    {
        if (run.Host is not { } host || ProcessRunClaims.Contains(run))
        {
            return false;
        }

        if (host == CurrentHost)
        {
            return true;
        }

        if (run.LeaseExpiresAt is { } lease && lease < timeProvider.GetUtcNow())
        {
            return true;
        }

        var slash = host.LastIndexOf('/');
        if (slash < 0 || host[..slash] != Environment.MachineName || !int.TryParse(host[(slash + 1)..], out var pid))
        {
            return false;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }

    private ExportRunRecord Interrupted(ExportRunRecord run) => run with
    {
        Status = ExportRunStatus.Failed,
        EndedAt = timeProvider.GetUtcNow(),
        LeaseExpiresAt = null,
        Errors = [.. run.Errors, $"The run was interrupted: its host {run.Host} stopped before the run ended, so no manifest was written. Run it again."],
    };

    private async ValueTask<StoredDataflow> RequireCurrentAsync(string id, string etag, string operation, CancellationToken cancellationToken) =>
        Current(await GetDataflowAsync(id, cancellationToken).ConfigureAwait(false), d => d.ETag, $"dataflow '{id}'", etag, operation);

    /// <summary>The stored record an update or delete may replace: it exists and was read with <paramref name="etag"/>.</summary>
    private static T Current<T>(T? stored, Func<T, string> etagOf, string what, string etag, string operation)
        where T : class
    {
        if (stored is null)
        {
            throw new ExportConcurrencyException($"Cannot {operation} {what}: it does not exist (it may have been deleted).");
        }

        return string.Equals(etagOf(stored), etag, StringComparison.Ordinal)
            ? stored
            : throw new ExportConcurrencyException($"Cannot {operation} {what}: it was changed by someone else (ETag '{etag}' is stale; the current one is '{etagOf(stored)}'). Read it again and retry.");
    }

    private ValueTask WriteDataflowAsync(StoredDataflow stored, CancellationToken cancellationToken) =>
        backend.WriteAsync(new StoreKey(StoreRecordKind.Dataflow, stored.Definition.Id), JsonSerializer.SerializeToUtf8Bytes(stored, Json.StoredDataflow), cancellationToken);

    private ValueTask WriteRunAsync(ExportRunRecord run, CancellationToken cancellationToken) =>
        backend.WriteAsync(new StoreKey(StoreRecordKind.Run, run.DataflowId, run.RunId), JsonSerializer.SerializeToUtf8Bytes(run, Json.ExportRunRecord), cancellationToken);

    private async ValueTask<ExportRunRecord?> ReadRunAsync(StoreKey key, CancellationToken cancellationToken)
    {
        var bytes = await backend.ReadAsync(key, cancellationToken).ConfigureAwait(false);
        return bytes is null ? null : JsonSerializer.Deserialize(bytes, Json.ExportRunRecord);
    }
}
