using Exports.Sdk.ClusterTests;
using Npgsql;

namespace Exports.Sdk.Sources.AdoNet.Tests;

/// <summary>
/// A read that stops before the end of its query (the export failed, or its consumer stopped) must stop the server too:
/// disposing a reader before its end makes the provider read every row left, so a failed export of a large table would
/// end only once the whole table had been sent. The rows the server produced are counted by a sequence, which a
/// cancelled query does not roll back.
/// </summary>
public sealed class StoppedReadTests : IAsyncLifetime
{
    private const int Rows = 2_000_000;
    private const int BatchSize = 1_000;

    private TestDatabase _db = null!;

    public async Task InitializeAsync() => _db = await TestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task ReadToTheEnd_TheSequenceCountsEveryRow()
    {
        var (source, sequence) = await SourceCountingRowsAsync();
        var read = 0;
        await foreach (var batch in source.ReadRowsAsync(new DatasetReadRequest("events") { BatchSize = BatchSize }))
        {
            read += batch.Count;
        }

        read.Should().Be(Rows);
        (await ProducedAsync(sequence)).Should().Be(Rows);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ReadStoppedAfterTheFirstBatch_TheServerStopsSendingRows(bool consumerThrows)
    {
        var (source, sequence) = await SourceCountingRowsAsync();
        var read = 0;
        var consume = async () =>
        {
            await foreach (var batch in source.ReadRowsAsync(new DatasetReadRequest("events") { BatchSize = BatchSize }))
            {
                read += batch.Count;
                if (consumerThrows)
                {
                    throw new InvalidOperationException("the destination refused the first part");
                }

                break;
            }
        };

        if (consumerThrows)
        {
            await consume.Should().ThrowAsync<InvalidOperationException>().WithMessage("the destination refused the first part");
        }
        else
        {
            await consume();
        }

        read.Should().Be(BatchSize);
        // What the server had sent before the cancel arrived (socket buffers, a few batches) is read and dropped; the rest
        // is never produced. Without the cancel every row would be.
        (await ProducedAsync(sequence)).Should().BeLessThan(Rows / 2, "the query is cancelled when the read stops, not read to its end");
    }

    private async Task<(AdoNetSource Source, string Sequence)> SourceCountingRowsAsync()
    {
        var sequence = "produced_" + Guid.NewGuid().ToString("N")[..8];
        await using (var connection = new NpgsqlConnection(_db.ConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE SEQUENCE {sequence}", connection);
            await create.ExecuteNonQueryAsync();
        }

        var source = new AdoNetSource("warehouse", new AdoNetSourceOptions
        {
            ConnectionFactory = () => new NpgsqlConnection(_db.ConnectionString),
            Datasets =
            {
                ["events"] = new AdoNetDatasetQuery { Sql = $"SELECT nextval('{sequence}') AS n, repeat('x', 100) AS payload FROM generate_series(1, {Rows})" },
            },
        });
        return (source, sequence);
    }

    private async Task<long> ProducedAsync(string sequence)
    {
        await using var connection = new NpgsqlConnection(_db.ConnectionString);
        await connection.OpenAsync();
        await using var read = new NpgsqlCommand($"SELECT last_value FROM {sequence}", connection);
        return (long)(await read.ExecuteScalarAsync())!;
    }
}
