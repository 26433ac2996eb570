using System.Globalization;
using Exports.Sdk.ClusterTests;
using Npgsql;

namespace Exports.Sdk.Sources.AdoNet.Tests;

/// <summary>
/// PostgreSQL numerics read from their binary form: every value must be the decimal Npgsql's GetDecimal gives, scale
/// included (1.50 stays 1.50, 0.000 stays 0.000), and what a decimal cannot hold must fail as it did before.
/// </summary>
public sealed class PostgresNumericTests : IAsyncLifetime
{
    private const int RandomRows = 20_000;

    /// <summary>Values at the edges: both 64- and 128-bit paths, scales 0 to 28, the largest decimal, zeros with a scale.</summary>
    private static readonly string[] Edges =
    [
        "0", "0.000", "-0.01", "0.0001", "-0.0001", "1", "10000", "-10000", "99999999.99", "9999999999999999", "10000000000000000",
        "123456789.123456789", "1e20", "-1e20", "1.5e-20", "0.0000000000000000000000000001", "7.9228162514264337593543950335",
        "79228162514264337593543950335", "-79228162514264337593543950335", "12345678901234567890.1234", "1.10", "100.00",
    ];

    private TestDatabase _db = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        await using var connection = new NpgsqlConnection(_db.ConnectionString);
        await connection.OpenAsync();
        // Random values of every magnitude and scale, as a numeric(12,2), an unconstrained numeric and a numeric(38,10).
        await using var create = new NpgsqlCommand($"""
            CREATE TABLE amounts (id int PRIMARY KEY, price numeric(12,2), free numeric, wide numeric(38,10));
            SELECT setseed(0.17);
            INSERT INTO amounts
            SELECT i,
                   round(((random() - 0.5) * 2e10)::numeric, 2),
                   round(((random() - 0.5) * power(10, (random() * 36)::int - 16))::numeric, (random() * 28)::int),
                   round(((random() - 0.5) * power(10, (random() * 26)::int))::numeric, (random() * 10)::int)
            FROM generate_series(1, {RandomRows}) AS i;
            INSERT INTO amounts (id, price) VALUES (0, NULL);
            INSERT INTO amounts (id, free) SELECT -n, v::numeric FROM unnest(@edges) WITH ORDINALITY AS e(v, n);
            """, connection);
        create.Parameters.AddWithValue("edges", Edges);
        await create.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Numerics_AreTheDecimalsNpgsqlReads_ScaleIncluded()
    {
        // The unconstrained column also holds values of more digits than a decimal holds, which Npgsql refuses: only values
        // of up to 28 digits are compared here (the next test covers the others).
        const string Sql = "SELECT id, price, wide, CASE WHEN length(trunc(abs(free))::text) + scale(free) <= 28 THEN free END AS free FROM amounts ORDER BY id";

        var rows = await ReadThroughSourceAsync(Sql);
        var expected = await ReadWithGetDecimalAsync(Sql);

        rows.Should().HaveCount(RandomRows + 1 + Edges.Length);
        rows.Should().Equal(expected);
        rows.Should().Contain(["-1:::0", "-2:::0.000", "-21:::1.10", "-14:::-100000000000000000000"]);
        rows.Count(r => !r.EndsWith(':')).Should().BeGreaterThan(RandomRows / 2, "most random values have up to 28 digits");
    }

    [Fact]
    public async Task BinaryForm_IsReadAsNpgsqlReadsIt_OrLeftToIt()
    {
        await using var connection = new NpgsqlConnection(_db.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT free FROM amounts WHERE free IS NOT NULL UNION ALL SELECT v::numeric FROM unnest(ARRAY['NaN', 'Infinity', '-Infinity', '1e40', '1e-30']) AS v", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var buffer = new byte[PostgresNumeric.MaxBytes];
        int read = 0, left = 0;
        while (await reader.ReadAsync())
        {
            var length = (int)reader.GetBytes(0, 0, buffer, 0, buffer.Length);
            decimal? npgsql;
            try
            {
                npgsql = reader.GetDecimal(0);
            }
            catch (Exception ex) when (ex is InvalidCastException or OverflowException)
            {
                npgsql = null;
            }

            if (PostgresNumeric.TryRead(buffer.AsSpan(0, length), out var value))
            {
                read++;
                npgsql.Should().NotBeNull();
                Text(value).Should().Be(Text(npgsql!.Value));
            }
            else
            {
                left++;
            }
        }

        read.Should().BeGreaterThan(RandomRows * 8 / 10);
        left.Should().BeGreaterThanOrEqualTo(5, "NaN, both infinities, 1e40 and 1e-30 are the provider's");
    }

    [Fact]
    public async Task NaN_FailsTheExport_NamingTheColumn()
    {
        await using (var connection = new NpgsqlConnection(_db.ConnectionString))
        {
            await connection.OpenAsync();
            await using var update = new NpgsqlCommand("UPDATE amounts SET free = 'NaN' WHERE id = 7", connection);
            await update.ExecuteNonQueryAsync();
        }

        var read = () => ReadThroughSourceAsync("SELECT id, free FROM amounts WHERE id = 7");

        (await read.Should().ThrowAsync<ExportException>())
            .WithMessage("*column 'free'*cannot be read as Decimal*NaN*");
    }

    private static string Text(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Each row as "id:price:wide:free", every value in its invariant text (which shows the scale).</summary>
    private Task<List<string>> ReadThroughSourceAsync(string sql) => PostgresReads.ThroughSourceAsync(_db.ConnectionString, sql, (batch, row) =>
        $"{batch.GetInt32(row, 0)}:{string.Join(':', Enumerable.Range(1, batch.Schema.Count - 1).Select(c => batch.IsNull(row, c) ? "" : Text(batch.GetDecimal(row, c))))}");

    /// <summary>The independent reading: Npgsql's own GetDecimal.</summary>
    private Task<List<string>> ReadWithGetDecimalAsync(string sql) => PostgresReads.WithNpgsqlAsync(_db.ConnectionString, sql, reader =>
        $"{reader.GetInt32(0)}:{string.Join(':', Enumerable.Range(1, reader.FieldCount - 1).Select(c => reader.IsDBNull(c) ? "" : Text(reader.GetDecimal(c))))}");
}
