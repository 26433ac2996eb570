using System.IO.Compression;
using CsvHelper;
using DuckDB.NET.Data;
using Parquet;
using Parquet.Serialization;
using ParquetSharp;

namespace Exports.Sdk.Throughput;

/// <summary>What a user would otherwise pick, each used the way its documentation shows, on the same rows.</summary>
internal static class Anchors
{
    public static Task<long> CsvHelperWriteRecordsAsync(Profile[] profiles, string path)
    {
        using (var stream = File.Create(path))
        using (var csv = CsvWriter.Create(stream, new CsvWriterOptions(), false))
        {
            csv.WriteRecords(profiles);
        }

        return Task.FromResult(new FileInfo(path).Length);
    }

    /// <summary>
    /// The SDK's CSV writer on one thread straight into .NET's <see cref="GZipStream"/> (zlib-ng, fastest level) and a
    /// file: what a user who only wants a fast writer with gzip would build.
    /// </summary>
    public static async Task<long> CsvWriterGzipStreamAsync(IReadOnlyList<RowBatch> batches, string path)
    {
        var columns = batches[0].Schema.Select((c, i) => new OutputColumn(c.Name, c.Type, i)).ToArray();
        var rows = Enumerable.Range(0, batches.Max(b => b.Count)).ToArray();
        await using (var file = File.Create(path))
        await using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        await using (var writer = new CsvFormat().CreateWriter(gzip, new FormatWriterContext(columns, new FileFormatOptions { MaxDegreeOfParallelism = 1 }, "anchor")))
        {
            foreach (var batch in batches)
            {
                await writer.WriteAsync(batch, rows.AsMemory(0, batch.Count));
            }

            await writer.CompleteAsync();
        }

        return new FileInfo(path).Length;
    }

    public static long DuckDbCopy(DuckDBConnection connection, string path, string options)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"COPY profiles TO '{path}' ({options})";
        command.ExecuteNonQuery();
        return new FileInfo(path).Length;
    }

    /// <summary>Loads the rows into DuckDB once, untimed ("data already loaded"), from a CSV the SDK wrote.</summary>
    public static DuckDBConnection LoadDuckDb(string csvPath, int threads)
    {
        var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SET threads TO {threads};
            CREATE TABLE profiles AS SELECT * FROM read_csv('{csvPath}', header = true, columns = {"{"}
              'profileId': 'UUID', 'person.email': 'VARCHAR', 'person.name.firstName': 'VARCHAR', 'person.name.lastName': 'VARCHAR',
              'homeAddress.countryCode': 'VARCHAR', 'person.birthDate': 'DATE', 'loyalty.points': 'INTEGER',
              'loyalty.lifetimeValue': 'DECIMAL(18,2)', 'person.lastSeen': 'TIMESTAMPTZ', 'segmentMembership.status': 'VARCHAR'{"}"});
            """;
        command.ExecuteNonQuery();
        return connection;
    }

    public static async Task<long> ParquetNetAsync(Profile[] profiles, string path, int rowGroupRows)
    {
        await using (var stream = File.Create(path))
        {
            await ParquetSerializer.SerializeAsync(profiles, stream, new ParquetOptions { CompressionMethod = CompressionMethod.Snappy, RowGroupSize = rowGroupRows });
        }

        return new FileInfo(path).Length;
    }

    public static Task<long> ParquetSharpWrite(Profile[] profiles, string path, int rowGroupRows)
    {
        var columns = new Column[]
        {
            new Column<string>("profileId"), new Column<string>("person.email"), new Column<string>("person.name.firstName"),
            new Column<string>("person.name.lastName"), new Column<string>("homeAddress.countryCode"), new Column<DateOnly>("person.birthDate"),
            new Column<int>("loyalty.points"), new Column<decimal>("loyalty.lifetimeValue", LogicalType.Decimal(precision: 18, scale: 2)),
            new Column<DateTime>("person.lastSeen", LogicalType.Timestamp(isAdjustedToUtc: true, TimeUnit.Micros)),
            new Column<string>("segmentMembership.status"),
        };
        using (var file = new ParquetFileWriter(path, columns, Compression.Snappy))
        {
            for (var offset = 0; offset < profiles.Length; offset += rowGroupRows)
            {
                var group = profiles.AsSpan(offset, Math.Min(rowGroupRows, profiles.Length - offset)).ToArray();
                using var rowGroup = file.AppendRowGroup();
                Write(rowGroup, group.Select(p => p.ProfileId.ToString()).ToArray());
                Write(rowGroup, group.Select(p => p.Email).ToArray());
                Write(rowGroup, group.Select(p => p.FirstName).ToArray());
                Write(rowGroup, group.Select(p => p.LastName).ToArray());
                Write(rowGroup, group.Select(p => p.CountryCode).ToArray());
                Write(rowGroup, group.Select(p => p.BirthDate).ToArray());
                Write(rowGroup, group.Select(p => p.LoyaltyPoints).ToArray());
                Write(rowGroup, group.Select(p => p.LifetimeValue).ToArray());
                Write(rowGroup, group.Select(p => p.LastSeenUtc).ToArray());
                Write(rowGroup, group.Select(p => p.MembershipStatus).ToArray());
            }

            file.Close();
        }

        return Task.FromResult(new FileInfo(path).Length);
    }

    private static void Write<T>(RowGroupWriter rowGroup, T[] values)
    {
        using var writer = rowGroup.NextColumn().LogicalWriter<T>();
        writer.WriteBatch(values);
    }
}
