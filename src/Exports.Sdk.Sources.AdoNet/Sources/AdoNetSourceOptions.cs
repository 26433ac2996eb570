using System.Data.Common;

namespace Exports.Sdk.Sources.AdoNet;

/// <summary>
/// How an <see cref="AdoNetSource"/> reaches its database and which SQL it runs. Parameters are written with
/// <see cref="ParameterPrefix"/> (<c>@audienceId</c>, <c>@since</c>), which PostgreSQL (Npgsql), SQL Server, SQLite and
/// MySQL accept.
/// </summary>
public sealed class AdoNetSourceOptions
{
    /// <summary>
    /// Creates a new, closed connection; the source opens it for each query and disposes it afterwards (connection pools
    /// make that cheap). Required. E.g. <c>() =&gt; new NpgsqlConnection(connectionString)</c> or <c>dataSource.CreateConnection</c>.
    /// </summary>
    public Func<DbConnection>? ConnectionFactory { get; set; }

    /// <summary>
    /// Lists audiences: columns <c>id</c> and <c>name</c> (the first two columns when not named so), optionally
    /// <c>description</c> and <c>last_evaluated_at</c>. Null when the source serves datasets only.
    /// </summary>
    public string? ListAudiencesSql { get; set; }

    /// <summary>
    /// The current (realized) members of the audience <c>@audienceId</c>: one column per exported attribute, named exactly
    /// as the attribute path (quote such names: <c>AS "person.email"</c> in PostgreSQL/SQLite, <c>AS [person.email]</c> in SQL
    /// Server), plus optionally <see cref="StatusColumn"/> and <see cref="StatusTimeColumn"/>.
    /// </summary>
    public string? MembersSql { get; set; }

    /// <summary>
    /// The members of <c>@audienceId</c> whose membership or attributes changed at or after <c>@since</c> (a UTC
    /// <see cref="DateTime"/>), exited ones included, for incremental exports. Required for them.
    /// </summary>
    public string? ChangedMembersSql { get; set; }

    /// <summary>The datasets the source serves, by id.</summary>
    public Dictionary<string, AdoNetDatasetQuery> Datasets { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Column types that override what the provider reports, by column name (case-insensitive), for every query.</summary>
    public Dictionary<string, ExportColumnType> ColumnTypes { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The member query's column holding <c>realized</c> or <c>exited</c>. Default <see cref="AudienceColumns.MembershipStatus"/>.
    /// When the query has no such column every member is <c>realized</c>.
    /// </summary>
    public string StatusColumn { get; set; } = AudienceColumns.MembershipStatus;

    /// <summary>The member query's column holding when the status last changed. Default <see cref="AudienceColumns.MembershipStatusTime"/>; null values when absent.</summary>
    public string StatusTimeColumn { get; set; } = AudienceColumns.MembershipStatusTime;

    /// <summary>The prefix of parameter names. Default <c>@</c>; use <c>:</c> for Oracle.</summary>
    public string ParameterPrefix { get; set; } = "@";

    /// <summary>The command timeout in seconds. Default: the provider's (often 30 s; large exports may need more, or 0 for none).</summary>
    public int? CommandTimeoutSeconds { get; set; }
}
