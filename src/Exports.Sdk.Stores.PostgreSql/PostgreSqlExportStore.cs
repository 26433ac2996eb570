using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;

namespace Exports.Sdk.Stores.PostgreSql;

/// <summary>
/// An <see cref="IExportStore"/> in PostgreSQL, shared by every host of an application: dataflows with ETags (an
/// update locks the row and checks the ETag in one transaction), runs whose claim is atomic across hosts (a
/// transaction-scoped advisory lock per dataflow), and audience state with watermarks. The schema is created and
/// migrated on first use.
/// </summary>
/// <remarks>
/// A running run holds a lease (<see cref="PostgreSqlExportStoreOptions.RunLeaseDuration"/>, measured on the database's
/// clock) that the host renews while the run goes on. A run whose host died stops being renewed; once its lease has
/// expired it no longer blocks its audiences, and the next claim on them records it as failed. A claim with the same
/// run id (a scheduled slot run again after its host died) takes the run over once the lease has expired.
/// </remarks>
public sealed partial class PostgreSqlExportStore : IExportStore, IExportStoreRunQueries, IAsyncDisposable
{
    /// <summary>Runs a run list reads before the rest of the history, which most callers never ask for.</summary>
    private const int NewestRunsFirst = 8;

    private static readonly string[] ActiveStatuses = [nameof(ExportRunStatus.Queued), nameof(ExportRunStatus.Running)];
    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    private readonly PostgreSqlExportStoreOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _schema;
    private readonly Lazy<Task> _migrated;
    private readonly RunLeaseRenewer _leases;

    /// <summary>Creates the store over a data source.</summary>
    /// <param name="dataSource">The database; the store does not dispose it unless <paramref name="ownsDataSource"/>.</param>
    /// <param name="options">The options; default values when null.</param>
    /// <param name="timeProvider">The clock for timestamps; default the system clock.</param>
    /// <param name="logger">Logs lease renewal failures; default none.</param>
    /// <param name="ownsDataSource">Whether disposing the store disposes <paramref name="dataSource"/>.</param>
    public PostgreSqlExportStore(NpgsqlDataSource dataSource, PostgreSqlExportStoreOptions? options = null, TimeProvider? timeProvider = null, ILogger<PostgreSqlExportStore>? logger = null, bool ownsDataSource = false)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _dataSource = dataSource;
        _ownsDataSource = ownsDataSource;
        _options = options ?? new PostgreSqlExportStoreOptions();
        ArgumentException.ThrowIfNullOrEmpty(_options.HostName);
        if (_options.RunLeaseDuration < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentException("PostgreSqlExportStoreOptions.RunLeaseDuration must be at least 1 second.", nameof(options));
        }

        _schema = PostgreSqlNames.Quote(_options.Schema);
        _time = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _migrated = new Lazy<Task>(() => _options.CreateSchema
            ? SchemaMigrator.MigrateAsync(_dataSource, _options.Schema, _time, CancellationToken.None)
            : Task.CompletedTask);
        _leases = new RunLeaseRenewer(_options.RunLeaseDuration, _time, RenewLeaseAsync, ex => LeaseRenewalFailed(_logger, ex));
    }

    /// <summary>This host's name as recorded on the runs it starts.</summary>
    public string HostName => _options.HostName;

    private static PostgreSqlStoreJsonContext Json => PostgreSqlStoreJsonContext.Default;

    /// <summary>Creates or migrates the schema now rather than on first use (e.g. at start-up).</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when the schema is current.</returns>
    public Task EnsureSchemaAsync(CancellationToken cancellationToken = default) => _migrated.Value.WaitAsync(cancellationToken);

    /// <inheritdoc />
    public async ValueTask<StoredDataflow?> GetDataflowAsync(string id, CancellationToken cancellationToken = default)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        var json = await ScalarAsync<string>($"SELECT record::text FROM {_schema}.dataflows WHERE id = @id", cancellationToken, ("id", id)).ConfigureAwait(false);
        return json is null ? null : JsonSerializer.Deserialize(json, Json.StoredDataflow);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<StoredDataflow> ListDataflowsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        foreach (var json in await ListAsync($"SELECT record::text FROM {_schema}.dataflows ORDER BY id COLLATE \"C\"", cancellationToken).ConfigureAwait(false))
        {
            yield return JsonSerializer.Deserialize(json, Json.StoredDataflow)!;
        }
    }

    /// <inheritdoc />
    public async ValueTask<StoredDataflow> CreateDataflowAsync(DataflowDefinition dataflow, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataflow);
        ArgumentException.ThrowIfNullOrEmpty(dataflow.Id);
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        var stored = new StoredDataflow(dataflow.Clone(), NewETag(), now, now);
        var inserted = await ExecuteAsync(
            // Not an id a dataset export has: runs and state are kept by export id.
            $"INSERT INTO {_schema}.dataflows (id, etag, record, created_at, updated_at) SELECT @id, @etag, @record, @at, @at WHERE NOT EXISTS (SELECT 1 FROM {_schema}.dataset_exports WHERE id = @id) ON CONFLICT (id) DO NOTHING",
            cancellationToken, ("id", dataflow.Id), ("etag", stored.ETag), ("record", Jsonb(JsonSerializer.Serialize(stored, Json.StoredDataflow))), ("at", now)).ConfigureAwait(false);
        return inserted == 1 ? stored : throw new ExportConcurrencyException($"A dataflow with the id '{dataflow.Id}' already exists.");
    }

    /// <inheritdoc />
    public async ValueTask<StoredDataflow> UpdateDataflowAsync(DataflowDefinition dataflow, string etag, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataflow);
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                // The row lock makes concurrent writers with the same ETag queue up: the second sees the new ETag.
                var current = await RequireCurrentAsync(connection, dataflow.Id, etag, "update", cancellationToken).ConfigureAwait(false);
                var stored = new StoredDataflow(dataflow.Clone(), NewETag(), current.CreatedAt, _time.GetUtcNow());
                await ExecuteAsync(connection, $"UPDATE {_schema}.dataflows SET etag = @etag, record = @record, updated_at = @at WHERE id = @id", cancellationToken,
                    ("id", dataflow.Id), ("etag", stored.ETag), ("record", Jsonb(JsonSerializer.Serialize(stored, Json.StoredDataflow))), ("at", stored.UpdatedAt)).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return stored;
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<StoredDataflow>> UpdateDataflowsAsync(IReadOnlyList<DataflowUpdate> updates, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(updates);
        if (updates.GroupBy(u => u.Dataflow.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new ArgumentException($"Dataflow '{twice.Key}' is listed more than once.", nameof(updates));
        }

        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                // Rows are locked in id order, so two bulk edits of overlapping sets queue up instead of deadlocking;
                // a stale ETag anywhere rolls the whole transaction back.
                var stored = new Dictionary<string, StoredDataflow>(StringComparer.Ordinal);
                foreach (var update in updates.OrderBy(u => u.Dataflow.Id, StringComparer.Ordinal))
                {
                    var current = await RequireCurrentAsync(connection, update.Dataflow.Id, update.ETag, "update", cancellationToken).ConfigureAwait(false);
                    var next = new StoredDataflow(update.Dataflow.Clone(), NewETag(), current.CreatedAt, _time.GetUtcNow());
                    await ExecuteAsync(connection, $"UPDATE {_schema}.dataflows SET etag = @etag, record = @record, updated_at = @at WHERE id = @id", cancellationToken,
                        ("id", next.Definition.Id), ("etag", next.ETag), ("record", Jsonb(JsonSerializer.Serialize(next, Json.StoredDataflow))), ("at", next.UpdatedAt)).ConfigureAwait(false);
                    stored[next.Definition.Id] = next;
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return [.. updates.Select(u => stored[u.Dataflow.Id])];
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DeleteDataflowAsync(string id, string etag, CancellationToken cancellationToken = default)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                await RequireCurrentAsync(connection, id, etag, "delete", cancellationToken).ConfigureAwait(false);
                await ExecuteAsync(connection, $"DELETE FROM {_schema}.dataflows WHERE id = @id", cancellationToken, ("id", id)).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask<StoredDatasetExport?> GetDatasetExportAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        var json = await ScalarAsync<string>($"SELECT record::text FROM {_schema}.dataset_exports WHERE id = @id", cancellationToken, ("id", id)).ConfigureAwait(false);
        return json is null ? null : JsonSerializer.Deserialize(json, Json.StoredDatasetExport);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<StoredDatasetExport> ListDatasetExportsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        foreach (var json in await ListAsync($"SELECT record::text FROM {_schema}.dataset_exports ORDER BY id COLLATE \"C\"", cancellationToken).ConfigureAwait(false))
        {
            yield return JsonSerializer.Deserialize(json, Json.StoredDatasetExport)!;
        }
    }

    /// <inheritdoc />
    public async ValueTask<StoredDatasetExport> CreateDatasetExportAsync(DatasetExportDefinition datasetExport, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(datasetExport);
        ArgumentException.ThrowIfNullOrEmpty(datasetExport.Id);
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        var stored = new StoredDatasetExport(datasetExport.Clone(), NewETag(), now, now);
        // One id names one export (runs and state are kept by it): not one a dataflow has.
        var inserted = await ExecuteAsync(
            $"""
            INSERT INTO {_schema}.dataset_exports (id, etag, record, created_at, updated_at)
            SELECT @id, @etag, @record, @at, @at WHERE NOT EXISTS (SELECT 1 FROM {_schema}.dataflows WHERE id = @id)
            ON CONFLICT (id) DO NOTHING
            """,
            cancellationToken, ("id", datasetExport.Id), ("etag", stored.ETag), ("record", Jsonb(JsonSerializer.Serialize(stored, Json.StoredDatasetExport))), ("at", now)).ConfigureAwait(false);
        return inserted == 1 ? stored : throw new ExportConcurrencyException($"An export with the id '{datasetExport.Id}' already exists.");
    }

    /// <inheritdoc />
    public async ValueTask<StoredDatasetExport> UpdateDatasetExportAsync(DatasetExportDefinition datasetExport, string etag, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(datasetExport);
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        var current = await GetDatasetExportAsync(datasetExport.Id, cancellationToken).ConfigureAwait(false)
            ?? throw new ExportConcurrencyException($"Cannot update dataset export '{datasetExport.Id}': it does not exist (it may have been deleted).");
        var stored = new StoredDatasetExport(datasetExport.Clone(), NewETag(), current.CreatedAt, now);
        // The ETag check and the write are one statement: a concurrent writer with the same ETag updates nothing.
        var updated = await ExecuteAsync(
            $"UPDATE {_schema}.dataset_exports SET etag = @etag, record = @record, updated_at = @at WHERE id = @id AND etag = @expected",
            cancellationToken, ("id", datasetExport.Id), ("etag", stored.ETag), ("record", Jsonb(JsonSerializer.Serialize(stored, Json.StoredDatasetExport))), ("at", now), ("expected", etag)).ConfigureAwait(false);
        return updated == 1 ? stored : throw StaleDatasetExport(datasetExport.Id, etag, "update");
    }

    /// <inheritdoc />
    public async ValueTask DeleteDatasetExportAsync(string id, string etag, CancellationToken cancellationToken = default)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        var deleted = await ExecuteAsync($"DELETE FROM {_schema}.dataset_exports WHERE id = @id AND etag = @expected", cancellationToken, ("id", id), ("expected", etag)).ConfigureAwait(false);
        if (deleted != 1)
        {
            throw StaleDatasetExport(id, etag, "delete");
        }
    }

    private static ExportConcurrencyException StaleDatasetExport(string id, string etag, string operation) =>
        new($"Cannot {operation} dataset export '{id}': it does not exist or was changed by someone else (ETag '{etag}' is stale). Read it again and retry.");

    /// <inheritdoc />
    public async ValueTask<StoredDestination?> GetDestinationAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        var json = await ScalarAsync<string>($"SELECT record::text FROM {_schema}.destinations WHERE name = @name", cancellationToken, ("name", name.ToLowerInvariant())).ConfigureAwait(false);
        return json is null ? null : JsonSerializer.Deserialize(json, Json.StoredDestination);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<StoredDestination> ListDestinationsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        foreach (var json in await ListAsync($"SELECT record::text FROM {_schema}.destinations ORDER BY name COLLATE \"C\"", cancellationToken).ConfigureAwait(false))
        {
            yield return JsonSerializer.Deserialize(json, Json.StoredDestination)!;
        }
    }

    /// <inheritdoc />
    public async ValueTask<StoredDestination> CreateDestinationAsync(DestinationDefinition destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentException.ThrowIfNullOrEmpty(destination.Name);
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        var stored = new StoredDestination(destination.Clone(), NewETag(), now, now);
        // Names compare case-insensitively, as configured destinations do.
        var inserted = await ExecuteAsync(
            $"INSERT INTO {_schema}.destinations (name, etag, record, created_at, updated_at) VALUES (@name, @etag, @record, @at, @at) ON CONFLICT (name) DO NOTHING",
            cancellationToken, ("name", destination.Name.ToLowerInvariant()), ("etag", stored.ETag), ("record", Jsonb(JsonSerializer.Serialize(stored, Json.StoredDestination))), ("at", now)).ConfigureAwait(false);
        return inserted == 1 ? stored : throw new ExportConcurrencyException($"A destination named '{destination.Name}' already exists.");
    }

    /// <inheritdoc />
    public async ValueTask<StoredDestination> UpdateDestinationAsync(DestinationDefinition destination, string etag, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var current = await RequireCurrentDestinationAsync(connection, destination.Name, etag, "update", cancellationToken).ConfigureAwait(false);
                var stored = new StoredDestination(destination.Clone(), NewETag(), current.CreatedAt, _time.GetUtcNow());
                await ExecuteAsync(connection, $"UPDATE {_schema}.destinations SET etag = @etag, record = @record, updated_at = @at WHERE name = @name", cancellationToken,
                    ("name", destination.Name.ToLowerInvariant()), ("etag", stored.ETag), ("record", Jsonb(JsonSerializer.Serialize(stored, Json.StoredDestination))), ("at", stored.UpdatedAt)).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return stored;
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DeleteDestinationAsync(string name, string etag, CancellationToken cancellationToken = default)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                await RequireCurrentDestinationAsync(connection, name, etag, "delete", cancellationToken).ConfigureAwait(false);
                await ExecuteAsync(connection, $"DELETE FROM {_schema}.destinations WHERE name = @name", cancellationToken, ("name", name.ToLowerInvariant())).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask<RunStartResult> TryStartRunAsync(ExportRunRecord run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        run = run with { Host = run.Host ?? _options.HostName };
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                // One claim at a time per dataflow, across every host; released at commit or rollback.
                await ExecuteAsync(connection, "SELECT pg_advisory_xact_lock(hashtext('Exports.Sdk.Stores.PostgreSql'), hashtext(@dataflow))", cancellationToken,
                    ("dataflow", run.DataflowId)).ConfigureAwait(false);

                var wanted = run.AudienceIds.ToHashSet(StringComparer.Ordinal);
                var conflicts = new List<RunConflict>();
                var active = await ReadActiveRunsAsync(connection, run.DataflowId, cancellationToken).ConfigureAwait(false);
                foreach (var (other, expired) in active)
                {
                    var sameRun = other.RunId == run.RunId;
                    if (sameRun && ((other.Host == run.Host && !_leases.Holds(run.DataflowId, run.RunId)) || expired))
                    {
                        // A retry of the same slot by a restarted process of this host (or after the lease ran out): it
                        // replaces the record below. While this process still runs it, the claim is refused.
                        continue;
                    }

                    if (expired)
                    {
                        // Its host stopped renewing the lease (it died or lost the database): free its audiences.
                        await WriteRunAsync(connection, Interrupted(other), cancellationToken).ConfigureAwait(false);
                        continue;
                    }

                    conflicts.AddRange(other.AudienceIds.Where(a => sameRun || wanted.Contains(a)).Where(wanted.Contains).Select(a => new RunConflict(a, other.RunId)));
                }

                if (conflicts.Count > 0)
                {
                    return new RunStartResult(false, conflicts);
                }

                await WriteRunAsync(connection, run, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        if (run.IsActive)
        {
            _leases.Track(run.DataflowId, run.RunId);
        }

        return new RunStartResult(true, []);
    }

    /// <inheritdoc />
    public async ValueTask SaveRunAsync(ExportRunRecord run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        if (run.Host is null)
        {
            // The coordinator's final record does not carry the host: keep the one that claimed the run.
            var claimedBy = await ScalarAsync<string>($"SELECT host FROM {_schema}.runs WHERE dataflow_id = @d AND run_id = @r", cancellationToken, ("d", run.DataflowId), ("r", run.RunId)).ConfigureAwait(false);
            run = run with { Host = claimedBy ?? _options.HostName };
        }

        var refused = false;
        try
        {
            var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                // Fenced: a host that lost its claim (its lease ran out while the database was away) must not write its
                // outcome over the record of the claim that replaced it.
                if (await WriteRunAsync(connection, run, cancellationToken, keepCancellation: true, fenced: true).ConfigureAwait(false) == 0)
                {
                    refused = true;
                    throw new ExportConcurrencyException(
                        $"Run '{run.RunId}' of '{run.DataflowId}': another claim of it holds the record now (a retry of its slot, or a host that took it over); this record was not written.");
                }
            }
        }
        finally
        {
            // An ended run stops renewing its lease even when its record could not be written, so that a later claim
            // records it as interrupted once the lease runs out. A refused record's lease, if any, is the other claim's.
            if (!refused && run.IsActive && run.Host == _options.HostName)
            {
                _leases.Track(run.DataflowId, run.RunId);
            }
            else if (!refused)
            {
                _leases.Release(run.DataflowId, run.RunId);
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask<ExportRunRecord?> SaveRunProgressAsync(ExportRunRecord run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        var host = run.Host ?? _options.HostName;
        var json = await ScalarAsync<string>($"""
            UPDATE {_schema}.runs SET status = @status, lease_until = now() + @lease,
                record = {KeepCancellation("record")} || @record
            WHERE dataflow_id = @d AND run_id = @r AND host = @host AND created_at = @created AND status = ANY(@active)
            RETURNING record::text
            """, cancellationToken, ("status", run.Status.ToString()), ("lease", _options.RunLeaseDuration),
            ("record", Jsonb(JsonSerializer.Serialize(run with { Host = host }, Json.ExportRunRecord))), ("d", run.DataflowId), ("r", run.RunId), ("host", host),
            ("created", run.CreatedAt), ("active", ActiveStatuses)).ConfigureAwait(false);
        return json is null ? null : JsonSerializer.Deserialize(json, Json.ExportRunRecord);
    }

    /// <inheritdoc />
    public async ValueTask<ExportRunRecord?> RequestRunCancellationAsync(string dataflowId, string runId, string? requestedBy, CancellationToken cancellationToken = default)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        var json = await ScalarAsync<string>($"""
            UPDATE {_schema}.runs SET record = record || jsonb_strip_nulls(jsonb_build_object('cancelRequestedAt', @at::text, 'cancelRequestedBy', @by::text))
            WHERE dataflow_id = @d AND run_id = @r AND status = ANY(@active) AND record->'cancelRequestedAt' IS NULL
            RETURNING record::text
            """, cancellationToken, ("at", _time.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture)), ("by", (object?)requestedBy ?? DBNull.Value),
            ("d", dataflowId), ("r", runId), ("active", ActiveStatuses)).ConfigureAwait(false);
        return json is null
            ? await GetRunAsync(dataflowId, runId, cancellationToken).ConfigureAwait(false)
            : JsonSerializer.Deserialize(json, Json.ExportRunRecord);
    }

    /// <inheritdoc />
    public async ValueTask<ExportRunRecord?> FindRunAsync(string runId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runId);
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        var json = await ScalarAsync<string>($"SELECT record::text FROM {_schema}.runs WHERE run_id = @r ORDER BY created_at DESC LIMIT 1", cancellationToken, ("r", runId)).ConfigureAwait(false);
        return json is null ? null : JsonSerializer.Deserialize(json, Json.ExportRunRecord);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<ExportRunRecord>> FailAbandonedRunsAsync(CancellationToken cancellationToken = default)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        var expired = await ListAsync($"SELECT dataflow_id FROM {_schema}.runs WHERE status = ANY(@active) AND lease_until < now() GROUP BY dataflow_id", cancellationToken,
            ("active", ActiveStatuses)).ConfigureAwait(false);
        var failed = new List<ExportRunRecord>();
        foreach (var dataflowId in expired)
        {
            var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                await using (transaction.ConfigureAwait(false))
                {
                    // The claim's lock: a retry of the same slot taking the run over is not overwritten.
                    await ExecuteAsync(connection, "SELECT pg_advisory_xact_lock(hashtext('Exports.Sdk.Stores.PostgreSql'), hashtext(@dataflow))", cancellationToken,
                        ("dataflow", dataflowId)).ConfigureAwait(false);
                    foreach (var (other, isExpired) in await ReadActiveRunsAsync(connection, dataflowId, cancellationToken).ConfigureAwait(false))
                    {
                        if (isExpired)
                        {
                            var interrupted = Interrupted(other);
                            await WriteRunAsync(connection, interrupted, cancellationToken).ConfigureAwait(false);
                            failed.Add(interrupted);
                        }
                    }

                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }

        return failed;
    }

    /// <inheritdoc />
    public async ValueTask<ExportRunRecord?> GetRunAsync(string dataflowId, string runId, CancellationToken cancellationToken = default)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        var json = await ScalarAsync<string>($"SELECT record::text FROM {_schema}.runs WHERE dataflow_id = @d AND run_id = @r", cancellationToken, ("d", dataflowId), ("r", runId)).ConfigureAwait(false);
        return json is null ? null : JsonSerializer.Deserialize(json, Json.ExportRunRecord);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ExportRunRecord> ListRunsAsync(string dataflowId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        // The newest few first, then the rest: a caller that wants the newest run (a list of exports, the latest/ check)
        // reads a few rows, not a history of years. The rest is every run but those already listed, so a run whose
        // start time changed in between (a retried slot) is still listed once.
        var newest = await ListAsync($"""
            SELECT record::text FROM {_schema}.runs WHERE dataflow_id = @d
            ORDER BY created_at DESC, run_id COLLATE "C" DESC LIMIT {NewestRunsFirst}
            """, cancellationToken, ("d", dataflowId)).ConfigureAwait(false);
        var seen = new string[newest.Count];
        for (var i = 0; i < newest.Count; i++)
        {
            var run = JsonSerializer.Deserialize(newest[i], Json.ExportRunRecord)!;
            seen[i] = run.RunId;
            yield return run;
        }

        if (newest.Count < NewestRunsFirst)
        {
            yield break;
        }

        var rest = await ListAsync($"""
            SELECT record::text FROM {_schema}.runs WHERE dataflow_id = @d AND run_id <> ALL(@seen)
            ORDER BY created_at DESC, run_id COLLATE "C" DESC
            """, cancellationToken, ("d", dataflowId), ("seen", seen)).ConfigureAwait(false);
        foreach (var json in rest)
        {
            yield return JsonSerializer.Deserialize(json, Json.ExportRunRecord)!;
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ExportRunRecord> ListRunsWithLeftoversAsync(string dataflowId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        // The predicate is the runs_leftovers index's, word for word, so the index answers it.
        var rows = await ListAsync($"""
            SELECT record::text FROM {_schema}.runs WHERE dataflow_id = @d
            AND (record->'leftoverFiles' <> '[]'::jsonb OR record->'leftoverWrites' <> '[]'::jsonb)
            """, cancellationToken, ("d", dataflowId)).ConfigureAwait(false);
        foreach (var json in rows)
        {
            yield return JsonSerializer.Deserialize(json, Json.ExportRunRecord)!;
        }
    }

    /// <inheritdoc />
    public async ValueTask<ExportPage<ExportRunRecord>> SearchRunsAsync(string dataflowId, RunQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        var status = query.Status is null ? "" : "AND status = @s";
        (string, object)[] match = query.Status is { } wanted ? [("d", dataflowId), ("s", wanted.ToString())] : [("d", dataflowId)];
        var total = (long)(await ScalarAsync<object>($"SELECT count(*) FROM {_schema}.runs WHERE dataflow_id = @d {status}", cancellationToken, match).ConfigureAwait(false))!;
        // Records become text only for the page, not for every run the sort looks at.
        var page = await ListAsync($"""
            SELECT record::text FROM (
                SELECT record, created_at, run_id FROM {_schema}.runs WHERE dataflow_id = @d {status}
                ORDER BY created_at DESC, run_id COLLATE "C" DESC OFFSET @skip LIMIT @take) AS page
            ORDER BY created_at DESC, run_id COLLATE "C" DESC
            """, cancellationToken, [.. match, ("skip", query.Skip), ("take", query.Take)]).ConfigureAwait(false);
        return new ExportPage<ExportRunRecord>([.. page.Select(json => JsonSerializer.Deserialize(json, Json.ExportRunRecord)!)], (int)total);
    }

    /// <inheritdoc />
    public async ValueTask<AudienceExportState?> GetAudienceStateAsync(string dataflowId, string audienceId, CancellationToken cancellationToken = default)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        var json = await ScalarAsync<string>($"SELECT record::text FROM {_schema}.audience_state WHERE dataflow_id = @d AND audience_id = @a", cancellationToken, ("d", dataflowId), ("a", audienceId)).ConfigureAwait(false);
        return json is null ? null : JsonSerializer.Deserialize(json, Json.AudienceExportState);
    }

    /// <inheritdoc />
    public async ValueTask SaveAudienceStateAsync(AudienceExportState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync($"""
            INSERT INTO {_schema}.audience_state (dataflow_id, audience_id, record, updated_at) VALUES (@d, @a, @record, @at)
            ON CONFLICT (dataflow_id, audience_id) DO UPDATE SET record = excluded.record, updated_at = excluded.updated_at
            """, cancellationToken, ("d", state.DataflowId), ("a", state.AudienceId), ("record", Jsonb(JsonSerializer.Serialize(state, Json.AudienceExportState))), ("at", _time.GetUtcNow())).ConfigureAwait(false);
    }

    /// <summary>Stops renewing leases (the runs of this host then expire like those of a host that died) and releases the data source when owned.</summary>
    /// <returns>A task that completes when stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        await _leases.DisposeAsync().ConfigureAwait(false);
        if (_ownsDataSource)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static string NewETag() => Guid.NewGuid().ToString("N");

    /// <summary>The stored record's cancellation request as a JSON object, so a write from the running host keeps it.</summary>
    private static string KeepCancellation(string record) =>
        $"jsonb_strip_nulls(jsonb_build_object('cancelRequestedAt', {record}->'cancelRequestedAt', 'cancelRequestedBy', {record}->'cancelRequestedBy'))";

    private ExportRunRecord Interrupted(ExportRunRecord run) => run with
    {
        Status = ExportRunStatus.Failed,
        EndedAt = _time.GetUtcNow(),
        Errors = [.. run.Errors, $"The run was interrupted: its host {run.Host} stopped renewing its lease before the run ended, so no manifest was written. Run it again."],
    };

    private static NpgsqlParameter Jsonb(string json) => new() { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = json };

    [LoggerMessage(EventId = 3100, EventName = "RunLeaseRenewalFailed", Level = LogLevel.Warning, Message = "Renewing the lease of a running export failed; retrying on the next round")]
    private static partial void LeaseRenewalFailed(ILogger logger, Exception exception);

    private async Task<bool> RenewLeaseAsync(string dataflowId, string runId, CancellationToken cancellationToken) =>
        await ExecuteAsync($"""
            UPDATE {_schema}.runs SET lease_until = now() + @lease
            WHERE dataflow_id = @d AND run_id = @r AND host = @host AND status = ANY(@active)
            """, cancellationToken, ("lease", _options.RunLeaseDuration), ("d", dataflowId), ("r", runId), ("host", _options.HostName), ("active", ActiveStatuses)).ConfigureAwait(false) == 1;

    private async Task<StoredDataflow> RequireCurrentAsync(NpgsqlConnection connection, string id, string etag, string operation, CancellationToken cancellationToken)
    {
        var command = Command(connection, $"SELECT record::text FROM {_schema}.dataflows WHERE id = @id FOR UPDATE", ("id", id));
        await using (command.ConfigureAwait(false))
        {
            var json = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string
                ?? throw new ExportConcurrencyException($"Cannot {operation} dataflow '{id}': it does not exist (it may have been deleted).");
            var current = JsonSerializer.Deserialize(json, Json.StoredDataflow)!;
            if (!string.Equals(current.ETag, etag, StringComparison.Ordinal))
            {
                throw new ExportConcurrencyException($"Cannot {operation} dataflow '{id}': it was changed by someone else (ETag '{etag}' is stale; the current one is '{current.ETag}'). Read it again and retry.");
            }

            return current;
        }
    }

    private async Task<StoredDestination> RequireCurrentDestinationAsync(NpgsqlConnection connection, string name, string etag, string operation, CancellationToken cancellationToken)
    {
        var command = Command(connection, $"SELECT record::text FROM {_schema}.destinations WHERE name = @name FOR UPDATE", ("name", name.ToLowerInvariant()));
        await using (command.ConfigureAwait(false))
        {
            var json = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string
                ?? throw new ExportConcurrencyException($"Cannot {operation} destination '{name}': it does not exist (it may have been deleted).");
            var current = JsonSerializer.Deserialize(json, Json.StoredDestination)!;
            if (!string.Equals(current.ETag, etag, StringComparison.Ordinal))
            {
                throw new ExportConcurrencyException($"Cannot {operation} destination '{name}': it was changed by someone else (ETag '{etag}' is stale; the current one is '{current.ETag}'). Read it again and retry.");
            }

            return current;
        }
    }

    private async Task<List<(ExportRunRecord Run, bool Expired)>> ReadActiveRunsAsync(NpgsqlConnection connection, string dataflowId, CancellationToken cancellationToken)
    {
        var runs = new List<(ExportRunRecord, bool)>();
        var command = Command(connection, $"""
            SELECT record::text, coalesce(lease_until < now(), false) FROM {_schema}.runs
            WHERE dataflow_id = @d AND status = ANY(@active)
            """, ("d", dataflowId), ("active", ActiveStatuses));
        await using (command.ConfigureAwait(false))
        {
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    runs.Add((JsonSerializer.Deserialize(reader.GetString(0), Json.ExportRunRecord)!, reader.GetBoolean(1)));
                }
            }
        }

        return runs;
    }

    // keepCancellation: the running host's writes keep a cancellation request stored since; a new claim replaces the record whole.
    /// <returns>The rows written: 0 when <paramref name="fenced"/> refused it.</returns>
    private async Task<int> WriteRunAsync(NpgsqlConnection connection, ExportRunRecord run, CancellationToken cancellationToken, bool keepCancellation = false, bool fenced = false)
    {
        // Active runs get (or keep) a lease from the database clock; finished runs drop it.
        return await ExecuteAsync(connection, $"""
            INSERT INTO {_schema}.runs (dataflow_id, run_id, status, audience_ids, created_at, host, lease_until, record)
            VALUES (@d, @r, @status, @audiences, @created, @host, CASE WHEN @active THEN now() + @lease END, @record)
            ON CONFLICT (dataflow_id, run_id) DO UPDATE SET
                status = excluded.status, audience_ids = excluded.audience_ids, created_at = excluded.created_at,
                host = excluded.host, record = {(keepCancellation ? KeepCancellation($"{_schema}.runs.record") + " || " : "")}excluded.record,
                lease_until = CASE WHEN @active THEN
                    CASE WHEN {_schema}.runs.host IS DISTINCT FROM excluded.host OR {_schema}.runs.lease_until IS NULL
                         THEN excluded.lease_until ELSE greatest({_schema}.runs.lease_until, excluded.lease_until) END
                    END
            WHERE NOT (@fenced AND ({_schema}.runs.created_at <> excluded.created_at
                OR ({_schema}.runs.status = ANY(@activeStatuses) AND {_schema}.runs.host IS DISTINCT FROM excluded.host)
                OR ({_schema}.runs.status <> ALL(@activeStatuses) AND {_schema}.runs.status <> excluded.status)))
            """, cancellationToken, ("fenced", fenced), ("activeStatuses", ActiveStatuses),
            ("d", run.DataflowId), ("r", run.RunId), ("status", run.Status.ToString()), ("audiences", run.AudienceIds.ToArray()),
            ("created", run.CreatedAt), ("host", (object?)run.Host ?? DBNull.Value), ("active", run.IsActive), ("lease", _options.RunLeaseDuration),
            ("record", Jsonb(JsonSerializer.Serialize(run, Json.ExportRunRecord)))).ConfigureAwait(false);
    }

    private async Task<T?> ScalarAsync<T>(string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
        where T : class
    {
        var command = _dataSource.CreateCommand(sql);
        await using (command.ConfigureAwait(false))
        {
            AddParameters(command, parameters);
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as T;
        }
    }

    private async Task<List<string>> ListAsync(string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        var rows = new List<string>();
        var command = _dataSource.CreateCommand(sql);
        await using (command.ConfigureAwait(false))
        {
            AddParameters(command, parameters);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    rows.Add(reader.GetString(0));
                }
            }
        }

        return rows;
    }

    private async Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        var command = _dataSource.CreateCommand(sql);
        await using (command.ConfigureAwait(false))
        {
            AddParameters(command, parameters);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<int> ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        var command = Command(connection, sql, parameters);
        await using (command.ConfigureAwait(false))
        {
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        AddParameters(command, parameters);
        return command;
    }

    private static void AddParameters(NpgsqlCommand command, (string Name, object Value)[] parameters)
    {
        foreach (var (name, value) in parameters)
        {
            if (value is NpgsqlParameter parameter)
            {
                parameter.ParameterName = name;
                command.Parameters.Add(parameter);
            }
            else
            {
                command.Parameters.AddWithValue(name, value);
            }
        }
    }
}
