using Exports.Sdk;
using Exports.Sdk.Stores.PostgreSql;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the PostgreSQL store.</summary>
public static class PostgreSqlExportsBuilderExtensions
{
    /// <summary>
    /// Keeps dataflows, runs and watermarks in PostgreSQL, shared by every host that uses the same database and schema.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="connectionString">The Npgsql connection string.</param>
    /// <param name="configure">Sets schema, host name, run lease.</param>
    /// <returns>The builder.</returns>
    public static IExportsBuilder UsePostgreSqlExportStore(this IExportsBuilder builder, string connectionString, Action<PostgreSqlExportStoreOptions>? configure)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        return builder.UsePostgreSqlExportStore(_ => NpgsqlDataSource.Create(connectionString), ownsDataSource: true, configure);
    }

    /// <summary>
    /// Keeps dataflows, runs and watermarks in PostgreSQL through a data source the application owns (it is not disposed
    /// by the store).
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="dataSource">The data source.</param>
    /// <param name="configure">Sets schema, host name, run lease.</param>
    /// <returns>The builder.</returns>
    public static IExportsBuilder UsePostgreSqlExportStore(this IExportsBuilder builder, NpgsqlDataSource dataSource, Action<PostgreSqlExportStoreOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        return builder.UsePostgreSqlExportStore(_ => dataSource, ownsDataSource: false, configure);
    }

    /// <summary>Keeps dataflows, runs and watermarks in PostgreSQL with default options (schema <c>exports</c>).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="connectionString">The Npgsql connection string.</param>
    /// <returns>The builder.</returns>
    public static IExportsBuilder UsePostgreSqlExportStore(this IExportsBuilder builder, string connectionString) =>
        builder.UsePostgreSqlExportStore(connectionString, configure: null);

    /// <summary>Keeps dataflows, runs and watermarks in PostgreSQL through the application's data source, with default options.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="dataSource">The data source (not disposed by the store).</param>
    /// <returns>The builder.</returns>
    public static IExportsBuilder UsePostgreSqlExportStore(this IExportsBuilder builder, NpgsqlDataSource dataSource) =>
        builder.UsePostgreSqlExportStore(dataSource, configure: null);

    private static IExportsBuilder UsePostgreSqlExportStore(this IExportsBuilder builder, Func<IServiceProvider, NpgsqlDataSource> dataSource, bool ownsDataSource, Action<PostgreSqlExportStoreOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<PostgreSqlExportStoreOptions>()
            .Validate(o => PostgreSqlNames.IsValid(o.Schema), "PostgreSqlExportStoreOptions.Schema must be lower-case letters, digits and _, starting with a letter or _.")
            .Validate(o => !string.IsNullOrEmpty(o.HostName), "PostgreSqlExportStoreOptions.HostName must be set.")
            .Validate(o => o.RunLeaseDuration >= TimeSpan.FromSeconds(1), "PostgreSqlExportStoreOptions.RunLeaseDuration must be at least 1 second.")
            .ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        // Through the public UseExportStore, as any third-party store would register.
        return builder.UseExportStore(sp => new PostgreSqlExportStore(
            dataSource(sp),
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<PostgreSqlExportStoreOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILogger<PostgreSqlExportStore>>(),
            ownsDataSource));
    }
}
