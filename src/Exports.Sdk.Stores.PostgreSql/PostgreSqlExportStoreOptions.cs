namespace Exports.Sdk.Stores.PostgreSql;

/// <summary>Options of <see cref="PostgreSqlExportStore"/>.</summary>
public sealed class PostgreSqlExportStoreOptions
{
    /// <summary>The database schema the store's tables live in; created when missing. Default <c>exports</c>.</summary>
    public string Schema { get; set; } = "exports";

    /// <summary>
    /// This host's name, recorded in <see cref="ExportRunRecord.Host"/> of the runs it starts and as the holder of their
    /// lease. Must differ between hosts sharing the database. Default <c>machine/process-id</c>.
    /// </summary>
    public string HostName { get; set; } = $"{Environment.MachineName}/{Environment.ProcessId}";

    /// <summary>
    /// How long a running run's claim holds without being renewed. The host renews it every third of this while the
    /// run goes on; when the host dies the renewals stop, and once the lease has run out the audiences are free again
    /// (the run is then recorded as failed). Default 2 minutes.
    /// </summary>
    public TimeSpan RunLeaseDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Whether the schema is created and migrated on first use. Default true.</summary>
    public bool CreateSchema { get; set; } = true;
}
