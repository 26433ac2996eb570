using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Npgsql;

namespace Exports.Sdk.Stores.PostgreSql;

/// <summary>
/// Keeps the Data Protection key ring in the store's schema (table <c>data_protection_keys</c>), so every host that
/// shares the store reads the secrets any of them wrote. Data Protection calls it synchronously and rarely (at start-up
/// and when a key is created), so it uses Npgsql's synchronous API rather than blocking on asynchronous calls.
/// </summary>
internal sealed class PostgreSqlXmlRepository(NpgsqlDataSource dataSource, string schema) : IXmlRepository
{
    private readonly string _schema = PostgreSqlNames.Quote(schema);
    private bool _created;

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        EnsureTable();
        using var command = dataSource.CreateCommand($"SELECT xml FROM {_schema}.data_protection_keys ORDER BY created_at, name");
        using var reader = command.ExecuteReader();
        var elements = new List<XElement>();
        while (reader.Read())
        {
            elements.Add(XElement.Parse(reader.GetString(0)));
        }

        return elements;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        EnsureTable();
        using var command = dataSource.CreateCommand($"INSERT INTO {_schema}.data_protection_keys (name, xml, created_at) VALUES ($1, $2, now()) ON CONFLICT (name) DO UPDATE SET xml = excluded.xml");
        command.Parameters.Add(new NpgsqlParameter { Value = string.IsNullOrEmpty(friendlyName) ? Guid.NewGuid().ToString("N") : friendlyName });
        command.Parameters.Add(new NpgsqlParameter { Value = element.ToString(SaveOptions.DisableFormatting) });
        command.ExecuteNonQuery();
    }

    /// <summary>The store's migration creates the table too; this lets the key ring be read before the store's first use.</summary>
    private void EnsureTable()
    {
        if (_created)
        {
            return;
        }

        using var command = dataSource.CreateCommand($"""
            CREATE SCHEMA IF NOT EXISTS {_schema};
            CREATE TABLE IF NOT EXISTS {_schema}.data_protection_keys (name text PRIMARY KEY, xml text NOT NULL, created_at timestamptz NOT NULL);
            """);
        command.ExecuteNonQuery();
        _created = true;
    }
}
