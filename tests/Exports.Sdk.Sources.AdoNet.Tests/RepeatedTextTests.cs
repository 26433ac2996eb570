using Exports.Sdk.ClusterTests;
using Npgsql;

namespace Exports.Sdk.Sources.AdoNet.Tests;

/// <summary>
/// Text read from PostgreSQL's raw bytes, with one string per repeated value: every value must still be exactly what
/// the database holds, whatever its length, script or client encoding, and also after a column of changing values
/// goes into the batch as UTF-8 bytes. Types sent as more than their text (jsonb) stay the provider's to read.
/// </summary>
public sealed class RepeatedTextTests : IAsyncLifetime
{
    private const int Rows = 10_000;
    private const string PeopleSql = "SELECT id, country, email, city, code, tags FROM people ORDER BY id";

    /// <summary>Repeated values: non-ASCII, empty, at and past the longest remembered length, and one longer than the first read buffer.</summary>
    private static readonly string?[] Countries =
        ["US", "FR", "Hélène", "東京都", "", new string('x', 48), new string('y', 49), null, "Ã©", new string('z', 300) + "é"];

    private TestDatabase _db = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        await using var connection = new NpgsqlConnection(_db.ConnectionString);
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand(
            "CREATE TABLE people (id int PRIMARY KEY, country text, email text, city varchar(40), code char(3), tags jsonb)", connection);
        await create.ExecuteNonQueryAsync();
        await using var copy = await connection.BeginBinaryImportAsync("COPY people (id, country, email, city, code, tags) FROM STDIN (FORMAT binary)");
        for (var i = 0; i < Rows; i++)
        {
            await copy.StartRowAsync();
            await copy.WriteAsync(i);
            await copy.WriteAsync(Countries[i % Countries.Length]);
            await copy.WriteAsync(Emails(i));
            await copy.WriteAsync(i % 3 == 0 ? "Zürich" : "Lisboa");
            await copy.WriteAsync(i % 2 == 0 ? "AB" : "ABC", NpgsqlTypes.NpgsqlDbType.Char);
            await copy.WriteAsync(i % 2 == 0 ? """{"plan": "pro"}""" : """{"plan": "free"}""", NpgsqlTypes.NpgsqlDbType.Jsonb);
        }

        await copy.CompleteAsync();
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    /// <summary>Values that do not repeat, so they go into the batch as bytes: some non-ASCII, some longer than the first read buffer.</summary>
    private static string Emails(int i) => (i % 97) switch
    {
        1 => $"ünïcödé{i}@exämple.de", // two-byte UTF-8, and LATIN1 has it too
        2 => new string('l', 300) + $"{i}@example.com",
        3 => new string('m', 256 - $"{i}".Length) + $"{i}",
        _ => $"user{i}@example.com",
    };

    [Fact]
    public async Task TextColumns_AreWhatTheDatabaseHolds_AndARepeatedValueIsOneString()
    {
        var rows = await ReadThroughSourceAsync(_db.ConnectionString);
        var expected = await ReadWithGetStringAsync(_db.ConnectionString);

        rows.Should().HaveCount(Rows);
        rows.Should().BeEquivalentTo(expected, o => o.WithStrictOrdering());

        // One string per repeated short value: each of these was allocated once, not once a row.
        foreach (var value in new[] { "US", "Hélène", "東京都", new string('x', 48), "Ã©" })
        {
            rows.Where(r => r.Country == value).Select(r => r.Country).Distinct(ReferenceEqualityComparer.Instance)
                .Should().ContainSingle($"'{value}' repeats {Rows / Countries.Length} times and is read as one string");
        }

        rows.Select(r => r.City).Distinct(ReferenceEqualityComparer.Instance).Should().HaveCount(2);
        rows.Select(r => r.Code).Distinct(ReferenceEqualityComparer.Instance).Should().HaveCount(2, "char(3) is text too");
    }

    [Fact]
    public async Task ClientEncodingNotUtf8_TextIsStillWhatTheDatabaseHolds()
    {
        // In LATIN1 'Ã©' is the bytes C3 A9, which read as UTF-8 would be 'é': this connection's text is the provider's to
        // decode (the server sends LATIN1, Npgsql decodes it as ISO-8859-1). Its rows come first, before any byte that
        // could not be UTF-8 ('é' alone, E9) shows the encoding.
        var latin1 = new NpgsqlConnectionStringBuilder(_db.ConnectionString) { ClientEncoding = "LATIN1", Encoding = "ISO-8859-1" }.ConnectionString;
        var sql = "SELECT id, country, email, city, code, tags FROM people WHERE id % 10 IN (8, 2, 0) ORDER BY id % 10 DESC, id";

        var rows = await ReadThroughSourceAsync(latin1, sql);

        rows.Should().BeEquivalentTo(await ReadWithGetStringAsync(_db.ConnectionString, sql), o => o.WithStrictOrdering());
        rows.Should().Contain(r => r.Country == "Ã©").And.Contain(r => r.Country == "Hélène");
    }

    [Fact]
    public async Task DotNetEncodingNotUtf8_TextIsWhatTheProviderReads()
    {
        // The server sends UTF-8 but this host told Npgsql to decode text as ISO-8859-1: the export keeps that choice.
        var latin1 = new NpgsqlConnectionStringBuilder(_db.ConnectionString) { Encoding = "ISO-8859-1" }.ConnectionString;

        var rows = await ReadThroughSourceAsync(latin1);

        rows.Should().BeEquivalentTo(await ReadWithGetStringAsync(latin1), o => o.WithStrictOrdering());
        rows.Should().Contain(r => r.Country == "HÃ©lÃ¨ne");
    }

    private static Task<List<Person>> ReadThroughSourceAsync(string connectionString, string sql = PeopleSql) =>
        PostgresReads.ThroughSourceAsync(connectionString, sql, (batch, row) => new Person(
            batch.GetInt32(row, 0), batch.GetString(row, 1), batch.GetString(row, 2), batch.GetString(row, 3), batch.GetString(row, 4), batch.GetString(row, 5)));

    /// <summary>The independent reading: Npgsql's own string decoding, with the given connection settings.</summary>
    private static Task<List<Person>> ReadWithGetStringAsync(string connectionString, string sql = PeopleSql) =>
        PostgresReads.WithNpgsqlAsync(connectionString, sql, reader => new Person(
            reader.GetInt32(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5)));

    private sealed record Person(int Id, string? Country, string? Email, string? City, string? Code, string? Tags);
}
