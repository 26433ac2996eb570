using System.Globalization;
using Exports.Sdk.ClusterTests;
using Npgsql;

namespace Exports.Sdk.Sources.AdoNet.Tests;

/// <summary>
/// Npgsql's columns are read without asking IsDBNull until their first null (its getters throw on one): every null must
/// still be null and every value after it the database's, whichever the type, wherever the first null falls (the first
/// row, the last, after the text reader has changed its path, a run at the end) and for a column that is all null.
/// </summary>
public sealed class NpgsqlNullsTests : IAsyncLifetime
{
    private const int Rows = 5_000;

    private TestDatabase _db = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        await using var connection = new NpgsqlConnection(_db.ConnectionString);
        await connection.OpenAsync();
        // One null pattern a column. The unique e-mails pass the text reader's trial values before their first null, so
        // it comes on the bytes path; the date 'infinity' checks that a date is read as Npgsql reads a DateOnly.
        await using var create = new NpgsqlCommand($"""
            CREATE TABLE cells (id int PRIMARY KEY, u uuid, t text, e text, s smallint, i int, b bigint, f float8, r real,
                                n numeric(12,2), d date, ts timestamp, tz timestamptz, ok bool, v varchar(20));
            INSERT INTO cells
            SELECT g,
                   CASE WHEN g = 1 THEN NULL ELSE md5(g::text)::uuid END,
                   CASE WHEN g % 7 = 0 THEN NULL ELSE 'country-' || (g % 5) END,
                   CASE WHEN g > 4500 AND g % 11 = 0 THEN NULL ELSE 'user' || g || '@example.com' END,
                   CASE WHEN g = {Rows} THEN NULL ELSE (g % 30000)::smallint END,
                   g * 3,
                   NULL,
                   CASE WHEN g % 2 = 0 THEN NULL ELSE g / 7.0 END,
                   CASE WHEN g % 3 = 0 THEN NULL ELSE g / 3.0 END,
                   CASE WHEN g % 13 = 0 THEN NULL ELSE round((g * 1.37)::numeric, 2) END,
                   CASE WHEN g % 17 = 0 THEN NULL WHEN g = 2 THEN 'infinity'::date ELSE date '1970-01-01' + g END,
                   CASE WHEN g % 19 = 0 THEN NULL ELSE timestamp '2020-01-01' + g * interval '1 minute 1.5 seconds' END,
                   CASE WHEN g >= 4000 THEN NULL ELSE timestamptz '2024-06-01 00:00:00+00' + g * interval '1 hour' END,
                   CASE WHEN g % 23 = 0 THEN NULL ELSE g % 2 = 0 END,
                   CASE WHEN g % 29 = 0 THEN NULL ELSE 'v' || (g % 4) END
            FROM generate_series(1, {Rows}) AS g;
            """, connection);
        await create.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task EveryNull_IsNull_AndEveryValueAfterTheFirstNull_IsTheDatabases()
    {
        const string Sql = "SELECT * FROM cells ORDER BY id";

        var rows = await ReadThroughSourceAsync(Sql);
        var expected = await ReadWithNpgsqlAsync(Sql);

        rows.Should().HaveCount(Rows);
        rows.Should().BeEquivalentTo(expected, o => o.WithStrictOrdering());

        // The patterns are there: nulls where they were written, and none where there are none.
        var nulls = Enumerable.Range(0, expected[0].Length).Select(c => rows.Count(r => r[c] is null)).ToArray();
        nulls.Should().Equal(0, 1, Rows / 7, 45, 1, 0, Rows, Rows / 2, Rows / 3, Rows / 13, Rows / 17, Rows / 19, Rows - 3999, Rows / 23, Rows / 29);
        rows[1][10].Should().Be(DateOnly.MaxValue.ToString("O", CultureInfo.InvariantCulture), "'infinity' is read as Npgsql reads a DateOnly");
    }

    [Fact]
    public async Task AColumnNullInEveryOtherRow_FromTheFirst_IsReadToTheEnd()
    {
        const string Sql = "SELECT id, CASE WHEN id % 2 = 1 THEN NULL ELSE i END AS i, tz FROM cells ORDER BY id";

        var rows = await ReadThroughSourceAsync(Sql);

        rows.Should().BeEquivalentTo(await ReadWithNpgsqlAsync(Sql), o => o.WithStrictOrdering());
        rows.Count(r => r[1] is null).Should().Be(Rows / 2);
        rows[1][1].Should().Be("6");
    }

    /// <summary>Each row's values through the source, as invariant text (null stays null).</summary>
    private Task<List<string?[]>> ReadThroughSourceAsync(string sql) => PostgresReads.ThroughSourceAsync(
        _db.ConnectionString, sql, (batch, row) => Enumerable.Range(0, batch.Schema.Count).Select(c => Text(batch.GetValue(row, c))).ToArray());

    /// <summary>The independent reading: Npgsql's IsDBNull and GetValue for every cell.</summary>
    private Task<List<string?[]>> ReadWithNpgsqlAsync(string sql) => PostgresReads.WithNpgsqlAsync(
        _db.ConnectionString, sql, reader => Enumerable.Range(0, reader.FieldCount).Select(c => reader.IsDBNull(c) ? null : Text(reader.GetValue(c))).ToArray());

    /// <summary>One text for a value however it is typed: timestamps as UTC instants, numbers in their shortest round trip.</summary>
    private static string? Text(object? value) => value switch
    {
        null => null,
        DateTime dateTime => new DateTimeOffset(DateTime.SpecifyKind(dateTime, DateTimeKind.Utc)).ToString("O", CultureInfo.InvariantCulture),
        DateTimeOffset instant => instant.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
        DateOnly date => date.ToString("O", CultureInfo.InvariantCulture),
        short or int or long => Convert.ToInt64(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture),
        float single => ((double)single).ToString("R", CultureInfo.InvariantCulture),
        double number => number.ToString("R", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };
}
