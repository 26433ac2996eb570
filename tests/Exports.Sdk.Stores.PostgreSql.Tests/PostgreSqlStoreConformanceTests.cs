using Exports.Sdk.ClusterTests;
using Exports.Sdk.Stores.PostgreSql;
using Exports.Sdk.Testing;
using Npgsql;

namespace Exports.Sdk.Stores.PostgreSql.Tests;

/// <summary>The shared store contract against PostgreSQL; each test gets a schema of its own.</summary>
public sealed class PostgreSqlStoreConformanceTests : ExportStoreConformanceTests
{
    private NpgsqlDataSource? _dataSource;

    protected override ValueTask<IExportStore> CreateStoreAsync()
    {
        _dataSource = NpgsqlDataSource.Create(TestDatabase.ServerConnectionString);
        var schema = "contract_" + Guid.NewGuid().ToString("N")[..12];
        return ValueTask.FromResult<IExportStore>(new PostgreSqlExportStore(_dataSource, new PostgreSqlExportStoreOptions { Schema = schema }));
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }
    }
}
