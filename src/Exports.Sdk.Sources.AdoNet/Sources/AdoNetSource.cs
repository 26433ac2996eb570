using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace Exports.Sdk.Sources.AdoNet;

/// <summary>
/// An audience and dataset source over any ADO.NET provider: runs your SQL and streams the rows through typed
/// <see cref="DbDataReader"/> getters into reused batches, so a table of any size flows with constant memory.
/// Column types come from the provider (<see cref="DbDataReader.GetFieldType"/>) unless declared in
/// <see cref="AdoNetSourceOptions.ColumnTypes"/>; a column of a type an export cannot hold fails with its name.
/// </summary>
public sealed class AdoNetSource : IAudienceSource, IAudienceAttributeSource, IAudienceEvaluationStatus, IDatasetSource
{
    private readonly AdoNetSourceOptions _options;
    private readonly Func<DbConnection> _connect;

    /// <summary>Creates the source.</summary>
    /// <param name="name">The source name, used in messages.</param>
    /// <param name="options">The connection and SQL.</param>
    /// <exception cref="ExportValidationException">The options are incomplete; every problem is listed.</exception>
    public AdoNetSource(string name, AdoNetSourceOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(options);
        var problems = Validate(name, options);
        if (problems.Count > 0)
        {
            throw new ExportValidationException(problems);
        }

        Name = name;
        _options = options;
        _connect = options.ConnectionFactory!;
    }

    /// <summary>The source name.</summary>
    public string Name { get; }

    /// <summary>Checks options and returns every problem (empty when valid).</summary>
    /// <param name="name">The source name.</param>
    /// <param name="options">The options.</param>
    /// <returns>The problems, each naming the option.</returns>
    public static IReadOnlyList<string> Validate(string name, AdoNetSourceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var where = $"ADO.NET source '{name}'";
        var problems = new List<string>();
        if (options.ConnectionFactory is null)
        {
            problems.Add($"{where}: ConnectionFactory is required.");
        }

        if (string.IsNullOrWhiteSpace(options.MembersSql) && options.Datasets.Count == 0)
        {
            problems.Add($"{where}: set MembersSql (audiences) or Datasets, or both.");
        }

        if (!string.IsNullOrWhiteSpace(options.MembersSql) && string.IsNullOrWhiteSpace(options.ListAudiencesSql))
        {
            problems.Add($"{where}: MembersSql is set but ListAudiencesSql is not; exports need to list audiences.");
        }

        foreach (var (id, query) in options.Datasets)
        {
            if (string.IsNullOrWhiteSpace(query.Sql))
            {
                problems.Add($"{where}: dataset '{id}' has no Sql.");
            }
        }

        if (string.IsNullOrEmpty(options.ParameterPrefix))
        {
            problems.Add($"{where}: ParameterPrefix must not be empty.");
        }

        return problems;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<AudienceInfo> ListAudiencesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(_options.ListAudiencesSql))
        {
            yield break;
        }

        var where = $"audiences of source '{Name}'";
        var connection = _connect();
        await using (connection.ConfigureAwait(false))
        {
            var (_, reader) = await ExecuteAsync(connection, _options.ListAudiencesSql, [], CommandBehavior.Default, where, cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var id = Ordinal(reader, "id") ?? 0;
                var name = Ordinal(reader, "name") ?? 1;
                var description = Ordinal(reader, "description");
                var evaluated = Ordinal(reader, "last_evaluated_at") ?? Ordinal(reader, "lastEvaluatedAt");
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    // Once per audience, not per row: plain conversions are fine here.
                    var audienceId = Convert.ToString(reader.GetValue(id), CultureInfo.InvariantCulture)!;
                    yield return new AudienceInfo(audienceId, reader.IsDBNull(name) ? audienceId : Convert.ToString(reader.GetValue(name), CultureInfo.InvariantCulture)!)
                    {
                        Description = description is { } d && !reader.IsDBNull(d) ? reader.GetString(d) : null,
                        LastEvaluatedAt = evaluated is { } e && !reader.IsDBNull(e) ? AsUtc(reader.GetValue(e)) : null,
                    };
                }
            }
        }
    }

    /// <summary>
    /// The audience's evaluation time from the database's own clock (<c>last_evaluated_at</c> of
    /// <see cref="AdoNetSourceOptions.ListAudiencesSql"/>), so "after audience evaluation" schedules follow the data
    /// without a pushed signal. Never refreshing: the query sees committed rows only.
    /// </summary>
    /// <param name="audienceId">The audience id.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The state; no evaluation time when the audience is not listed or the query has no such column.</returns>
    public async ValueTask<AudienceEvaluationState> GetEvaluationStateAsync(string audienceId, CancellationToken cancellationToken = default)
    {
        await foreach (var audience in ListAudiencesAsync(cancellationToken).ConfigureAwait(false))
        {
            if (audience.Id == audienceId)
            {
                return new AudienceEvaluationState(false, audience.LastEvaluatedAt);
            }
        }

        return new AudienceEvaluationState(false, null);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<RowBatch> ReadMembersAsync(AudienceReadRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var where = $"members of audience '{request.AudienceId}' in source '{Name}'";
        var sql = request.ChangedSince is null ? _options.MembersSql : _options.ChangedMembersSql;
        if (string.IsNullOrWhiteSpace(sql))
        {
            throw new ExportException(request.ChangedSince is null
                ? $"ADO.NET source '{Name}' has no MembersSql; it serves datasets only."
                : $"ADO.NET source '{Name}' has no ChangedMembersSql, which incremental exports of audience '{request.AudienceId}' need.");
        }

        List<(string, object)> parameters = [("audienceId", request.AudienceId)];
        if (request.ChangedSince is { } since)
        {
            parameters.Add(("since", since.UtcDateTime));
        }

        var connection = _connect();
        await using (connection.ConfigureAwait(false))
        {
            if (request.NewestFirst)
            {
                sql = await NewestFirstAsync(connection, sql, parameters, where, cancellationToken).ConfigureAwait(false);
            }

            var (command, reader) = await ExecuteAsync(connection, sql, parameters, CommandBehavior.SingleResult, where, cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var columns = new List<(string Name, int Ordinal)>();
                var missing = new List<string>();
                // Identity columns come as identityMap.<namespace>, like attributes named by their path.
                foreach (var name in request.Attributes.Concat(request.IdentityNamespaces.Select(AudienceColumns.Identity)))
                {
                    if (Ordinal(reader, name) is { } ordinal)
                    {
                        columns.Add((name, ordinal));
                    }
                    else
                    {
                        missing.Add(name);
                    }
                }

                if (missing.Count > 0)
                {
                    throw new ExportException(
                        $"The query of {where} returned no column {string.Join(", ", missing.Select(m => $"'{m}'"))} for the requested attributes and identities; " +
                        $"it returned {string.Join(", ", Enumerable.Range(0, reader.FieldCount).Select(i => $"'{reader.GetName(i)}'"))}. " +
                        $"Name the columns as the attribute paths, and identity columns {AudienceColumns.IdentityPrefix}<namespace>.");
                }

                var status = Ordinal(reader, _options.StatusColumn);
                var statusTime = Ordinal(reader, _options.StatusTimeColumn);
                if (status is { } s)
                {
                    columns.Add((AudienceColumns.MembershipStatus, s));
                }

                if (statusTime is { } t)
                {
                    columns.Add((AudienceColumns.MembershipStatusTime, t));
                }

                // The change time @since is compared with, when the query names it: incremental watermarks come from it.
                if (Ordinal(reader, AudienceColumns.ChangeTime) is { } changeTime && !request.Attributes.Contains(AudienceColumns.ChangeTime, StringComparer.OrdinalIgnoreCase))
                {
                    columns.Add((AudienceColumns.ChangeTime, changeTime));
                }

                var overrides = new Dictionary<string, ExportColumnType>(_options.ColumnTypes, StringComparer.OrdinalIgnoreCase)
                {
                    [AudienceColumns.MembershipStatus] = ExportColumnType.String,
                    [AudienceColumns.MembershipStatusTime] = ExportColumnType.Timestamp,
                    [AudienceColumns.ChangeTime] = ExportColumnType.Timestamp,
                };
                var plan = DbBatchReader.Plan(reader, columns, overrides, where);
                List<ExportColumn> extras = [];
                Action<RowBatch, int>? fill = null;
                if (status is null)
                {
                    // Without a status column every member returned by the query is in the audience.
                    extras.Add(new ExportColumn(AudienceColumns.MembershipStatus, ExportColumnType.String));
                    var statusOrdinal = plan.Schema.Count;
                    fill = (batch, row) => batch.SetString(row, statusOrdinal, AudienceColumns.Realized);
                }

                if (statusTime is null)
                {
                    extras.Add(new ExportColumn(AudienceColumns.MembershipStatusTime, ExportColumnType.Timestamp));
                }

                await foreach (var batch in plan.ReadAsync(command, reader, request.BatchSize, extras, fill, cancellationToken).ConfigureAwait(false))
                {
                    yield return batch;
                }
            }
        }
    }

    /// <summary>
    /// Deduplication keeps the newest profile of a key, so it needs the members newest first: the member query is
    /// wrapped to order by its status-time column, when it has one (without it there is no time to order by, and every
    /// member counts as equally recent).
    /// </summary>
    private async Task<string> NewestFirstAsync(DbConnection connection, string sql, List<(string, object)> parameters, string where, CancellationToken cancellationToken)
    {
        string? column = null;
        var (_, schema) = await ExecuteAsync(connection, sql, parameters, CommandBehavior.SchemaOnly, where, cancellationToken).ConfigureAwait(false);
        await using (schema.ConfigureAwait(false))
        {
            // The name as the query spells it: a quoted identifier is matched exactly.
            column = Ordinal(schema, _options.StatusTimeColumn) is { } ordinal ? schema.GetName(ordinal) : null;
        }

        if (column is null)
        {
            return sql;
        }

        var quoted = DbProviderFactories.GetFactory(connection)?.CreateCommandBuilder()?.QuoteIdentifier(column)
            ?? $"\"{column.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
        // The newline keeps a trailing "-- comment" of the query from swallowing the closing parenthesis. Members without
        // a time last, on every database (PostgreSQL and Oracle sort nulls first in DESC): an unknown time is not newer.
        return $"SELECT * FROM (\n{sql.Trim().TrimEnd(';')}\n) exports_members ORDER BY CASE WHEN {quoted} IS NULL THEN 1 ELSE 0 END, {quoted} DESC";
    }

    /// <summary>The columns <see cref="AdoNetSourceOptions.MembersSql"/> returns (described by the provider, not read), without the membership status columns.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The attribute paths with their types; none without MembersSql.</returns>
    public async IAsyncEnumerable<ExportColumn> ListAttributesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(_options.MembersSql))
        {
            yield break;
        }

        var where = $"attributes of source '{Name}'";
        ExportSchema schema;
        var connection = _connect();
        await using (connection.ConfigureAwait(false))
        {
            var (_, reader) = await ExecuteAsync(connection, _options.MembersSql, [("audienceId", "")], CommandBehavior.SchemaOnly, where, cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                schema = DbBatchReader.ForAllColumns(reader, new Dictionary<string, ExportColumnType>(_options.ColumnTypes, StringComparer.OrdinalIgnoreCase), where).Schema;
            }
        }

        foreach (var column in schema)
        {
            if (!column.Name.Equals(_options.StatusColumn, StringComparison.OrdinalIgnoreCase) && !column.Name.Equals(_options.StatusTimeColumn, StringComparison.OrdinalIgnoreCase)
                && !column.Name.Equals(AudienceColumns.ChangeTime, StringComparison.OrdinalIgnoreCase))
            {
                yield return column;
            }
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<DatasetInfo> ListDatasetsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var (id, query) in _options.Datasets)
        {
            var where = $"dataset '{id}' of source '{Name}'";
            var connection = _connect();
            ExportSchema schema;
            await using (connection.ConfigureAwait(false))
            {
                // SchemaOnly: the provider describes the columns without running the query to the end.
                var (_, reader) = await ExecuteAsync(connection, query.Sql, [], CommandBehavior.SchemaOnly, where, cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    schema = DbBatchReader.ForAllColumns(reader, Overrides(query), where).Schema;
                }
            }

            yield return new DatasetInfo(id, query.Name ?? id) { Schema = schema };
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<RowBatch> ReadRowsAsync(DatasetReadRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!_options.Datasets.TryGetValue(request.DatasetId, out var query))
        {
            throw new ExportException(
                $"ADO.NET source '{Name}' has no dataset '{request.DatasetId}'; it has {string.Join(", ", _options.Datasets.Keys.Select(k => $"'{k}'"))}.");
        }

        var where = $"dataset '{request.DatasetId}' of source '{Name}'";
        var incremental = request.Since is not null && !string.IsNullOrWhiteSpace(query.IncrementalSql);
        List<(string, object)> parameters = [];
        if (incremental && request.Since is { } since)
        {
            parameters.Add(("since", since.Type switch
            {
                ExportColumnType.Timestamp => since.AsTimestamp().UtcDateTime,
                ExportColumnType.Date => since.AsDate(),
                _ => since.AsInt64(),
            }));
        }

        var connection = _connect();
        await using (connection.ConfigureAwait(false))
        {
            var (command, reader) = await ExecuteAsync(connection, incremental ? query.IncrementalSql! : query.Sql, parameters, CommandBehavior.SingleResult, where, cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var plan = DbBatchReader.ForAllColumns(reader, Overrides(query), where);
                await foreach (var batch in plan.ReadAsync(command, reader, request.BatchSize, [], null, cancellationToken).ConfigureAwait(false))
                {
                    yield return batch;
                }
            }
        }
    }

    private Dictionary<string, ExportColumnType> Overrides(AdoNetDatasetQuery query)
    {
        var overrides = new Dictionary<string, ExportColumnType>(_options.ColumnTypes, StringComparer.OrdinalIgnoreCase);
        foreach (var (column, type) in query.ColumnTypes)
        {
            overrides[column] = type;
        }

        return overrides;
    }

    private async Task<(DbCommand Command, DbDataReader Reader)> ExecuteAsync(DbConnection connection, string sql, List<(string Name, object Value)> parameters, CommandBehavior behavior, string where, CancellationToken cancellationToken)
    {
        try
        {
            if (connection.State != ConnectionState.Open)
            {
                // A second query on the same connection (the newest-first schema look-up, then the rows) reuses it.
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            }

            var command = connection.CreateCommand();
            command.CommandText = sql;
            if (_options.CommandTimeoutSeconds is { } timeout)
            {
                command.CommandTimeout = timeout;
            }

            foreach (var (name, value) in parameters)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = _options.ParameterPrefix + name;
                parameter.Value = value;
                command.Parameters.Add(parameter);
            }

            if (behavior == CommandBehavior.SingleResult)
            {
                // Rows to read: cheaper for PostgreSQL to send when its text columns come as text.
                await NpgsqlTextResults.RequestAsync(command, cancellationToken).ConfigureAwait(false);
            }

            // The reader is disposed by the caller; disposing the connection afterwards releases the command too.
            return (command, await command.ExecuteReaderAsync(behavior, cancellationToken).ConfigureAwait(false));
        }
        catch (DbException ex)
        {
            throw new ExportException($"The query of {where} failed: {ex.Message}", ex);
        }
    }

    /// <summary>The ordinal of a column by exact name, then ignoring case; null when absent.</summary>
    private static int? Ordinal(DbDataReader reader, string name)
    {
        int? loose = null;
        for (var i = 0; i < reader.FieldCount; i++)
        {
            var field = reader.GetName(i);
            if (string.Equals(field, name, StringComparison.Ordinal))
            {
                return i;
            }

            if (loose is null && string.Equals(field, name, StringComparison.OrdinalIgnoreCase))
            {
                loose = i;
            }
        }

        return loose;
    }

    private static DateTimeOffset AsUtc(object value) => value switch
    {
        DateTimeOffset dto => dto,
        DateTime dt => new DateTimeOffset(dt.Kind == DateTimeKind.Local ? dt.ToUniversalTime() : DateTime.SpecifyKind(dt, DateTimeKind.Utc)),
        _ => DateTimeOffset.Parse(Convert.ToString(value, CultureInfo.InvariantCulture)!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
    };
}
