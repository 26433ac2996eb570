using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Exports.Sdk;

/// <summary>The store rules shared by the built-in stores: ETags, atomic run claims, stale-claim recovery.</summary>
internal sealed class ExportStoreCore(IStoreBackend backend, TimeProvider timeProvider)
{
    /// <summary>This process, as recorded in <see cref="ExportRunRecord.Host"/>.</summary>
    public static readonly string CurrentHost = $"{Environment.MachineName}/{Environment.ProcessId}";

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

    public async ValueTask DeleteDataflowAsync(string id, string etag, CancellationToken cancellationToken)
    {
        var locked = await backend.LockAsync(cancellationToken).ConfigureAwait(false);
        await using (locked.ConfigureAwait(false))
        {
            await RequireCurrentAsync(id, etag, "delete", cancellationToken).ConfigureAwait(false);
            await backend.DeleteAsync(new StoreKey(StoreRecordKind.Dataflow, id), cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask<RunStartResult> TryStartRunAsync(ExportRunRecord run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var locked = await backend.LockAsync(cancellationToken).ConfigureAwait(false);
        await using (locked.ConfigureAwait(false))
        {
            var wanted = run.AudienceIds.ToHashSet(StringComparer.Ordinal);
            var conflicts = new List<RunConflict>();
            foreach (var key in await backend.ListAsync(StoreRecordKind.Run, run.DataflowId, cancellationToken).ConfigureAwait(false))
            {
                var other = await ReadRunAsync(key, cancellationToken).ConfigureAwait(false);
                if (other is null || !other.IsActive)
                {
                    continue;
                }

                if (IsAbandoned(other))
                {
                    // Its process is gone: record that, so the audience is free again.
                    await WriteRunAsync(other with { Status = ExportRunStatus.Failed, Errors = [.. other.Errors, $"The run was interrupted: its host {other.Host} stopped."] }, cancellationToken).ConfigureAwait(false);
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

            await WriteRunAsync(run with { Host = run.Host ?? CurrentHost }, cancellationToken).ConfigureAwait(false);
            return new RunStartResult(true, []);
        }
    }

    public async ValueTask SaveRunAsync(ExportRunRecord run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var locked = await backend.LockAsync(cancellationToken).ConfigureAwait(false);
        await using (locked.ConfigureAwait(false))
        {
            if (run.Host is null && await ReadRunAsync(new StoreKey(StoreRecordKind.Run, run.DataflowId, run.RunId), cancellationToken).ConfigureAwait(false) is { Host: { } host })
            {
                // The claim recorded which host runs it; the final record keeps that.
                run = run with { Host = host };
            }

            await WriteRunAsync(run, cancellationToken).ConfigureAwait(false);
        }
    }

    public ValueTask<ExportRunRecord?> GetRunAsync(string dataflowId, string runId, CancellationToken cancellationToken) =>
        ReadRunAsync(new StoreKey(StoreRecordKind.Run, dataflowId, runId), cancellationToken);

    public async IAsyncEnumerable<ExportRunRecord> ListRunsAsync(string dataflowId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var runs = new List<ExportRunRecord>();
        foreach (var key in await backend.ListAsync(StoreRecordKind.Run, dataflowId, cancellationToken).ConfigureAwait(false))
        {
            if (await ReadRunAsync(key, cancellationToken).ConfigureAwait(false) is { } run)
            {
                runs.Add(run);
            }
        }

        foreach (var run in runs.OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.RunId, StringComparer.Ordinal))
        {
            yield return run;
        }
    }

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

    /// <summary>A run of this machine whose process has ended can never finish.</summary>
    private static bool IsAbandoned(ExportRunRecord run)
    {
        if (run.Host is not { } host || host == CurrentHost)
        {
            return false;
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

    private async ValueTask<StoredDataflow> RequireCurrentAsync(string id, string etag, string operation, CancellationToken cancellationToken)
    {
        var current = await GetDataflowAsync(id, cancellationToken).ConfigureAwait(false)
            ?? throw new ExportConcurrencyException($"Cannot {operation} dataflow '{id}': it does not exist (it may have been deleted).");
        if (!string.Equals(current.ETag, etag, StringComparison.Ordinal))
        {
            throw new ExportConcurrencyException($"Cannot {operation} dataflow '{id}': it was changed by someone else (ETag '{etag}' is stale; the current one is '{current.ETag}'). Read it again and retry.");
        }

        return current;
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
