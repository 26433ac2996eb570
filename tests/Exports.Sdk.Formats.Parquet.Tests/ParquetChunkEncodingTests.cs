using Parquet;

namespace Exports.Sdk.Formats.Parquet.Tests;

/// <summary>
/// Column chunks the SDK encodes itself: every string and null read back by DuckDB and by Parquet.Net in every codec,
/// whether the text was set as strings or as UTF-8 bytes, and bounds a reader can filter by where NaN, signed zeros
/// and chunks of nulls only would mislead.
/// </summary>
public class ParquetChunkEncodingTests
{
    // Only strings: no column is left for Parquet.Net, so row groups are the SDK's chunks alone.
    private static readonly OutputColumn[] Columns = [new("id", ExportColumnType.String, 0), new("text", ExportColumnType.String, 1)];

    [Theory]
    [InlineData("snappy", "SNAPPY")]
    [InlineData("zstd", "ZSTD")]
    [InlineData("gzip", "GZIP")]
    [InlineData("none", "UNCOMPRESSED")]
    public async Task Writer_NullRunsOfEveryLength_ReadBackExactlyByDuckDbAndParquetNet(string codec, string duckDbCodec)
    {
        // Runs of 1 to 20 nulls between runs of 1 to 20 values, so repeated and packed runs of definition levels meet at
        // every offset; then a row group of nulls only, one without nulls, and one alternating (125 packed groups, a
        // run header of two bytes).
        string[] text = ["", "é", "日本語", "emoji 😀", "a\nb", "quote \" and, comma", new string('x', 3000)];
        var values = new List<string?>();
        for (var nulls = 1; nulls <= 20; nulls++)
        {
            for (var present = 1; present <= 20; present++)
            {
                values.AddRange(Enumerable.Repeat<string?>(null, nulls));
                values.AddRange(Enumerable.Range(0, present).Select(i => $"{text[(values.Count + i) % text.Length]}{values.Count + i}"));
            }
        }

        values.AddRange(Enumerable.Repeat<string?>(null, 1000 - (values.Count % 1000)));
        values.AddRange(Enumerable.Repeat<string?>(null, 1000));
        values.AddRange(Enumerable.Range(0, 1000).Select(i => $"{text[i % text.Length]}{i}"));
        values.AddRange(Enumerable.Range(0, 1000).Select(i => i % 2 == 0 ? null : $"odd {i}"));
        var batch = new RowBatch(new ExportSchema(Columns.Select(c => new ExportColumn(c.Name, c.Type))), values.Count);
        for (var r = 0; r < values.Count; r++)
        {
            batch.AddRow();
            // Every other row as UTF-8 bytes, as a database source sets text.
            batch.SetUtf8String(r, 0, System.Text.Encoding.UTF8.GetBytes($"{r:D6}"));
            if (values[r] is not { } value)
            {
                batch.SetNull(r, 1);
            }
            else if (r % 2 == 0)
            {
                batch.SetUtf8String(r, 1, System.Text.Encoding.UTF8.GetBytes(value));
            }
            else
            {
                batch.SetString(r, 1, value);
            }
        }

        var bytes = await ParquetBytes.WriteAsync(Columns, batch, [.. Enumerable.Range(0, values.Count)], parallelism: 2, ("codec", codec), ("rowGroupRows", "1000"));

        using var file = new TempParquet(bytes);
        DuckDb.Query($"SELECT text FROM read_parquet('{file.Path}') ORDER BY id").Select(r => (string?)r[0]).Should().Equal(values);
        var chunks = DuckDb.Query($"SELECT stats_null_count, compression FROM parquet_metadata('{file.Path}') WHERE path_in_schema = 'text' ORDER BY row_group_id");
        chunks.Select(c => (long?)c[0]).Should().Equal(values.Chunk(1000).Select(g => (long?)g.Count(v => v is null)));
        chunks.Should().OnlyContain(c => (string?)c[1] == duckDbCodec);

        using var stream = new MemoryStream(bytes);
        await using var reader = await ParquetReader.CreateAsync(stream);
        // Each column's bounds are in its type's order, which readers only trust when the footer says so.
        reader.Metadata!.ColumnOrders.Should().HaveCount(Columns.Length).And.OnlyContain(o => o.TYPEORDER != null);
        var field = reader.Schema.GetDataFields().Single(f => f.Name == "text");
        var read = new List<string?>();
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var rowGroup = reader.OpenRowGroupReader(g);
            var group = new string?[rowGroup.RowCount];
            await rowGroup.ReadAsync(field, group.AsMemory());
            read.AddRange(group);
        }

        read.Should().Equal(values);
    }

    [Fact]
    public async Task Writer_DoublesWithNaNAndZeros_HaveBoundsDuckDbFiltersBy_AndNullChunksHaveNone()
    {
        OutputColumn[] columns = [new("id", ExportColumnType.Int32, 0), new("score", ExportColumnType.Double, 1), new("flag", ExportColumnType.Boolean, 2), new("n", ExportColumnType.Int64, 3)];
        double?[] groups0 = [-0.0, 0.0, 2.5, null, 7.0];
        double?[] groups1 = [double.NaN, -3.0, 0.0, null, 1.0];
        double?[] groups2 = [0.0, 1.0, null, 0.0, 2.0];
        double?[] groups3 = [-1.0, -0.0, null, -2.0, -0.0];
        double?[] groups4 = [null, null, null, null, null];
        double?[] scores = [.. groups0, .. groups1, .. groups2, .. groups3, .. groups4];
        var batch = new RowBatch(new ExportSchema(columns.Select(c => new ExportColumn(c.Name, c.Type))), scores.Length);
        for (var r = 0; r < scores.Length; r++)
        {
            batch.AddRow();
            batch.SetInt32(r, 0, r);
            batch.SetInt64(r, 3, r - 12);
            if (scores[r] is { } score)
            {
                batch.SetDouble(r, 1, score);
                batch.SetBoolean(r, 2, r % 3 == 0);
            }
            else
            {
                batch.SetNull(r, 1);
                batch.SetNull(r, 2);
            }
        }

        using var file = new TempParquet(await ParquetBytes.WriteAsync(columns, batch, [.. Enumerable.Range(0, scores.Length)], parallelism: 2, ("rowGroupRows", "5")));

        var bounds = DuckDb.Query($"SELECT stats_min_value, stats_max_value, stats_null_count, stats_min, stats_max FROM parquet_metadata('{file.Path}') WHERE path_in_schema = 'score' ORDER BY row_group_id");
        // A chunk holding NaN gets no bounds: DuckDB orders NaN above every number and would skip it by bounds without.
        // A zero bound is -0.0 as a minimum and +0.0 as a maximum, whichever zero the chunk holds.
        bounds.Select(b => ((string?)b[0], (string?)b[1], (long?)b[2])).Should().Equal(("-0.0", "7.0", 1L), (null, null, 1L), ("-0.0", "2.0", 1L), ("-2.0", "0.0", 1L), (null, null, 5L));
        bounds.Should().OnlyContain(b => Equals(b[0], b[3]) && Equals(b[1], b[4]), "numbers get the deprecated bounds too");
        DuckDb.Query($"SELECT id FROM read_parquet('{file.Path}') WHERE score > 1 ORDER BY id").Select(r => (int)r[0]!).Should().Equal(2, 4, 5, 14);
        DuckDb.Query($"SELECT id FROM read_parquet('{file.Path}') WHERE score >= 0 AND score <= 0 ORDER BY id").Select(r => (int)r[0]!).Should().Equal(0, 1, 7, 10, 13, 16, 19);
        DuckDb.Query($"SELECT id FROM read_parquet('{file.Path}') WHERE isnan(score) ORDER BY id").Select(r => (int)r[0]!).Should().Equal(5);
        DuckDb.Query($"SELECT id, flag FROM read_parquet('{file.Path}') ORDER BY id").Select(r => (bool?)r[1])
            .Should().Equal(scores.Select((s, r) => s is null ? (bool?)null : r % 3 == 0));
        DuckDb.Query($"SELECT stats_min, stats_max FROM parquet_metadata('{file.Path}') WHERE path_in_schema = 'id' ORDER BY row_group_id")
            .Select(b => ((string?)b[0], (string?)b[1])).Should().Equal(("0", "4"), ("5", "9"), ("10", "14"), ("15", "19"), ("20", "24"));
        DuckDb.Query($"SELECT stats_min, stats_max FROM parquet_metadata('{file.Path}') WHERE path_in_schema = 'n' ORDER BY row_group_id")
            .Select(b => ((string?)b[0], (string?)b[1])).Should().Equal(("-12", "-8"), ("-7", "-3"), ("-2", "2"), ("3", "7"), ("8", "12"));
        DuckDb.Scalar($"SELECT count(*) FROM read_parquet('{file.Path}') WHERE n < -5").Should().Be(7L);
    }

    [Theory]
    [InlineData("snappy")]
    [InlineData("gzip")]
    public async Task Writer_RepeatingText_IsDictionaryEncoded_AndUniqueTextIsNot(string codec)
    {
        // Per row group of 5,000: e-mails that never repeat (a dictionary given up, then the next column's built), 5
        // countries and nulls, one value only, 600 codes in runs of 4 (packed indices 10 bits wide) and of 10 (repeated
        // runs, two bytes a value), and 257 codes (9 bits). A last row group of one row is too small for a dictionary.
        OutputColumn[] columns =
        [
            new("id", ExportColumnType.Int32, 0), new("email", ExportColumnType.String, 1), new("country", ExportColumnType.String, 2),
            new("one", ExportColumnType.String, 3), new("code4", ExportColumnType.String, 4), new("code10", ExportColumnType.String, 5),
            new("code257", ExportColumnType.String, 6),
        ];
        string[] countries = ["FR", "DE", "ÉÉ", "US", "JP"];
        const int Rows = 10_001;
        var batch = new RowBatch(new ExportSchema(columns.Select(c => new ExportColumn(c.Name, c.Type))), Rows);
        var expected = new List<object?[]>();
        for (var r = 0; r < Rows; r++)
        {
            batch.AddRow();
            var row = new object?[] { r, $"user{r}@example.com", r % 7 == 3 ? null : countries[(r * 31 / 7) % countries.Length], "only", $"c{(r / 4) % 600}", $"c{(r / 10) % 600}", $"k{r % 257}" };
            expected.Add(row);
            batch.SetInt32(r, 0, r);
            for (var c = 1; c < columns.Length; c++)
            {
                if (row[c] is string text)
                {
                    // Half the rows as UTF-8 bytes, as a database source sets text.
                    if (r % 2 == 0)
                    {
                        batch.SetUtf8String(r, c, System.Text.Encoding.UTF8.GetBytes(text));
                    }
                    else
                    {
                        batch.SetString(r, c, text);
                    }
                }
                else
                {
                    batch.SetNull(r, c);
                }
            }
        }

        var bytes = await ParquetBytes.WriteAsync(columns, batch, [.. Enumerable.Range(0, Rows)], parallelism: 2, ("codec", codec), ("rowGroupRows", "5000"));

        using var file = new TempParquet(bytes);
        var read = DuckDb.Query($"SELECT id, email, country, one, code4, code10, code257 FROM read_parquet('{file.Path}') ORDER BY id");
        read.Should().HaveCount(Rows);
        for (var r = 0; r < Rows; r++)
        {
            read[r].Should().Equal(expected[r], "row {0}", r);
        }

        var chunks = DuckDb.Query($"SELECT path_in_schema, encodings, dictionary_page_offset IS NOT NULL, stats_min_value, stats_max_value FROM parquet_metadata('{file.Path}') WHERE path_in_schema <> 'id' AND row_group_id < 2 ORDER BY row_group_id, path_in_schema");
        chunks.Where(c => (string)c[0]! != "email").Should().HaveCount(10).And.OnlyContain(c => (bool)c[2]! && ((string)c[1]!).Contains("PLAIN_DICTIONARY"));
        chunks.Where(c => (string)c[0]! == "email").Should().HaveCount(2).And.OnlyContain(c => !(bool)c[2]! && !((string)c[1]!).Contains("DICTIONARY"));
        DuckDb.Scalar($"SELECT count(*) FROM parquet_metadata('{file.Path}') WHERE row_group_id = 2 AND path_in_schema <> 'id' AND dictionary_page_offset IS NULL").Should().Be(6L);
        // Bounds from the dictionary, in UTF-8 byte order ("ÉÉ" after "US"); DuckDB filters by them.
        chunks.Where(c => (string)c[0]! == "country").Should().OnlyContain(c => (string?)c[3] == "DE" && (string?)c[4] == "ÉÉ");
        DuckDb.Scalar($"SELECT count(*) FROM read_parquet('{file.Path}') WHERE country = 'ÉÉ'").Should().Be((long)expected.Count(e => (string?)e[2] == "ÉÉ"));
        DuckDb.Scalar($"SELECT count(*) FROM read_parquet('{file.Path}') WHERE code10 = 'c599'").Should().Be((long)expected.Count(e => (string?)e[5] == "c599")).And.Be(10L);

        using var stream = new MemoryStream(bytes);
        await using var reader = await ParquetReader.CreateAsync(stream);
        foreach (var (name, c) in new[] { ("country", 2), ("one", 3), ("code4", 4), ("code10", 5), ("code257", 6) })
        {
            var field = reader.Schema.GetDataFields().Single(f => f.Name == name);
            var values = new List<string?>();
            for (var g = 0; g < reader.RowGroupCount; g++)
            {
                using var rowGroup = reader.OpenRowGroupReader(g);
                var group = new string?[rowGroup.RowCount];
                await rowGroup.ReadAsync(field, group.AsMemory());
                values.AddRange(group);
            }

            values.Should().Equal(expected.Select(e => (string?)e[c]), name);
        }
    }
}
