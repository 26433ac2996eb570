using Exports.Sdk.ClusterTests;
using Npgsql;

namespace Exports.Sdk.Sources.AdoNet.Tests;

/// <summary>
/// Plain text columns are asked for in PostgreSQL's text format, and only they: other types keep Npgsql's binary format
/// (their text would be parsed differently, or not at all). The values read either way are compared in RepeatedTextTests;
/// other providers (SQLite in AdoNetSourceTests) go through the same call and are left as they are.
/// </summary>
public sealed class NpgsqlTextResultsTests : IAsyncLifetime
{
    private TestDatabase _db = null!;

    public async Task InitializeAsync() => _db = await TestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task PlainTextColumns_AreAskedForAsText_AndNoOthers()
    {
        await using var connection = new NpgsqlConnection(_db.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT 1 AS id, 'a'::text AS t, 'b'::varchar(40) AS v, 'c'::char(3) AS c, 'd'::name AS n, '{}'::jsonb AS j,
                   now() AS ts, 1.5::numeric AS d, ARRAY['x'] AS a, @p AS p
            """, connection);
        command.Parameters.AddWithValue("p", "parameter");

        await NpgsqlTextResults.RequestAsync(command, CancellationToken.None);

        command.UnknownResultTypeList.Should().Equal(false, true, true, true, true, false, false, false, false, true);
        await using var reader = await command.ExecuteReaderAsync();
        (await reader.ReadAsync()).Should().BeTrue();
        Enumerable.Range(1, 4).Select(reader.GetString).Should().Equal("a", "b", "c  ", "d");
        reader.GetString(9).Should().Be("parameter");
        reader.GetDecimal(7).Should().Be(1.5m);
    }

    [Fact]
    public async Task AQueryWithoutText_KeepsTheBinaryFormat()
    {
        await using var connection = new NpgsqlConnection(_db.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT 1 AS id, now() AS ts", connection);

        await NpgsqlTextResults.RequestAsync(command, CancellationToken.None);

        command.UnknownResultTypeList.Should().BeNull();
    }

    [Fact]
    public async Task AQueryTheServerCannotDescribeBeforeItRuns_StillRuns_AndItsTextIsRead()
    {
        // The SELECT's table does not exist until the first statement has run, so describing the query fails: the
        // describe is skipped and the query runs as it always did.
        var source = new AdoNetSource("crm", new AdoNetSourceOptions
        {
            ConnectionFactory = () => new NpgsqlConnection(_db.ConnectionString),
            Datasets =
            {
                ["staged"] = new AdoNetDatasetQuery
                {
                    Sql = "CREATE TEMP TABLE staged AS SELECT i AS id, 'name ' || i AS name FROM generate_series(1, 3) AS i; SELECT id, name FROM staged ORDER BY id",
                },
            },
        });

        var names = new List<string?>();
        await foreach (var batch in source.ReadRowsAsync(new DatasetReadRequest("staged")))
        {
            names.AddRange(Enumerable.Range(0, batch.Count).Select(row => batch.GetString(row, 1)));
        }

        names.Should().Equal("name 1", "name 2", "name 3");
    }
}
