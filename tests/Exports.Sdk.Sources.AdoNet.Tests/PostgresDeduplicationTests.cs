using Exports.Sdk.ClusterTests;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Exports.Sdk.Sources.AdoNet.Tests;

/// <summary>
/// Deduplication on PostgreSQL keeps the most recently qualified member of a key. PostgreSQL sorts nulls first in a
/// descending order, so a member without a qualification time used to be read first and win.
/// </summary>
public sealed class PostgresDeduplicationTests : IAsyncDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("exports-pg-dedup-").FullName;
    private TestDatabase? _db;
    private ServiceProvider? _provider;

    [Fact]
    public async Task AMemberWithoutAQualificationTime_DoesNotWinOverANewerOne()
    {
        _db = await TestDatabase.CreateAsync();
        await using (var connection = new NpgsqlConnection(_db.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("""
                CREATE TABLE members (email text NOT NULL, country text NOT NULL, changed_at timestamptz);
                INSERT INTO members VALUES
                  ('unknown@example.com', 'PT', NULL),
                  ('newest@example.com', 'PT', '2026-01-04 10:00:00+00'),
                  ('older@example.com', 'PT', '2026-01-03 10:00:00+00'),
                  ('bo@example.com', 'SE', '2026-01-02 10:00:00+00');
                """, connection);
            await command.ExecuteNonQueryAsync();
        }

        var services = new ServiceCollection();
        services.AddExports().UseInMemoryExportStore()
            .AddAdoNetSource("crm", o =>
            {
                o.ConnectionFactory = () => new NpgsqlConnection(_db.ConnectionString);
                o.MembersSql = """
                    SELECT email AS "person.email", country AS "homeAddress.countryCode", 'realized' AS "segmentMembership.status",
                           changed_at AS "segmentMembership.lastQualificationTime"
                    FROM members
                    """;
                o.ListAudiencesSql = "SELECT 'vip' AS id, 'VIP' AS name";
            })
            .AddLocalFolderDestination("out", _root);
        _provider = services.BuildServiceProvider();
        var dataflow = new DataflowDefinition
        {
            Id = "crm-daily",
            Source = "crm",
            Destination = "out",
            Attributes = ["person.email", "homeAddress.countryCode"],
            IncludeMembershipStatus = true,
            Deduplication = new DeduplicationKey { Attributes = ["homeAddress.countryCode"] },
            Audiences = [new AudienceActivation { AudienceId = "vip" }],
        };

        var result = await _provider.GetRequiredService<IExportRunner>().RunAsync(dataflow, new ExportRunRequest());

        result.Status.Should().Be(ExportRunStatus.Succeeded, string.Join("; ", result.Errors));
        File.ReadAllLines(Path.Combine(_root, result.Files.Single().Path)).Skip(1).Should().Equal(
            "newest@example.com,PT,realized,2026-01-04T10:00:00.000Z",
            "bo@example.com,SE,realized,2026-01-02T10:00:00.000Z");
    }

    public async ValueTask DisposeAsync()
    {
        if (_provider is not null)
        {
            await _provider.DisposeAsync();
        }

        if (_db is not null)
        {
            await _db.DisposeAsync();
        }

        Directory.Delete(_root, recursive: true);
    }
}
