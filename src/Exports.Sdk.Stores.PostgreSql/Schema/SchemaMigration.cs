namespace Exports.Sdk.Stores.PostgreSql;

/// <summary>One step of the store's schema; <c>{schema}</c> in the SQL stands for the quoted schema name.</summary>
/// <param name="Version">The version it brings the schema to (1, 2, ...).</param>
/// <param name="Description">What it does.</param>
/// <param name="Sql">The DDL.</param>
internal sealed record SchemaMigration(int Version, string Description, string Sql);
