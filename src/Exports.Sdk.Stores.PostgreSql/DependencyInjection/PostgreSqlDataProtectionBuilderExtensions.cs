using Exports.Sdk.Stores.PostgreSql;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Npgsql;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Keeps the Data Protection key ring in the PostgreSQL store's schema.</summary>
public static class PostgreSqlDataProtectionBuilderExtensions
{
    /// <summary>
    /// Keeps the Data Protection key ring in table <c>data_protection_keys</c> of the store's schema, so every host that
    /// shares the store can read the destination secrets any of them protected. Give the hosts the same application
    /// name (<c>SetApplicationName</c>) too. Keys are stored as Data Protection writes them: protect them at rest with
    /// <c>ProtectKeysWith…</c> where the database is not trusted with them.
    /// </summary>
    /// <param name="builder">The Data Protection builder.</param>
    /// <param name="connectionString">The Npgsql connection string (the store's database, schema <c>exports</c>).</param>
    /// <returns>The builder.</returns>
    public static IDataProtectionBuilder PersistKeysToExportsPostgreSql(this IDataProtectionBuilder builder, string connectionString)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        return builder.PersistKeysToExportsPostgreSql(NpgsqlDataSource.Create(connectionString), "exports");
    }

    /// <summary>Keeps the Data Protection key ring in the store's schema, through the application's data source.</summary>
    /// <param name="builder">The Data Protection builder.</param>
    /// <param name="dataSource">The data source (the store's database).</param>
    /// <param name="schema">The store's schema (<c>exports</c> unless you set another).</param>
    /// <returns>The builder.</returns>
    public static IDataProtectionBuilder PersistKeysToExportsPostgreSql(this IDataProtectionBuilder builder, NpgsqlDataSource dataSource, string schema)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(dataSource);
        var repository = new PostgreSqlXmlRepository(dataSource, schema);
        builder.Services.Configure<KeyManagementOptions>(options => options.XmlRepository = repository);
        return builder;
    }
}
