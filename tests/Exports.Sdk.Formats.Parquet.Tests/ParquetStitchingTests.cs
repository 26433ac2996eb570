using System.Buffers.Binary;
using System.Globalization;
using Parquet;
using Parquet.Schema;

namespace Exports.Sdk.Formats.Parquet.Tests;

/// <summary>
/// Row groups encoded on several cores and stitched into one file: the same bytes as one core, every value and type read
/// back by DuckDB, statistics a reader can filter by, and a footer serialised exactly as Parquet.Net serialises it.
/// </summary>
public class ParquetStitchingTests
{
    private static readonly OutputColumn[] Columns =
    [
        new("id", ExportColumnType.Int64, 0),
        new("email", ExportColumnType.String, 1),
        new("points", ExportColumnType.Int32, 2),
        new("amount", ExportColumnType.Decimal, 3),
        new("birthDate", ExportColumnType.Date, 4),
        new("seenAt", ExportColumnType.Timestamp, 5),
        new("profileId", ExportColumnType.Guid, 6),
        new("score", ExportColumnType.Double, 7),
        new("active", ExportColumnType.Boolean, 8),
    ];

    [Theory]
    [InlineData("38", "18")]
    [InlineData("18", "4")]
    [InlineData("9", "2")]
    public async Task Writer_RowGroupsOnSeveralCores_WritesTheBytesOfOneCore(string precision, string scale)
    {
        var (batch, rows) = RandomBatch(seed: 11, count: 9_000, scale: int.Parse(scale, CultureInfo.InvariantCulture), precision: int.Parse(precision, CultureInfo.InvariantCulture));

        var single = await WriteAsync(batch, rows, parallelism: 1, ("rowGroupRows", "700"), ("decimalPrecision", precision), ("decimalScale", scale));
        var parallel = await WriteAsync(batch, rows, parallelism: 4, ("rowGroupRows", "700"), ("decimalPrecision", precision), ("decimalScale", scale));

        parallel.Should().Equal(single);
        using var file = new TempParquet(parallel);
        DuckDb.Scalar($"SELECT count(*) FROM parquet_metadata('{file.Path}') WHERE column_id = 0").Should().Be(13L);
        var read = DuckDb.Query(
            "SELECT id, email, points, CAST(amount AS VARCHAR), CAST(birthDate AS VARCHAR), epoch_us(seenAt), CAST(profileId AS VARCHAR), score, active " +
            $"FROM read_parquet('{file.Path}') ORDER BY id");
        read.Should().HaveCount(rows.Length);
        for (var r = 0; r < rows.Length; r++)
        {
            var expected = Expected(batch, r, int.Parse(scale, CultureInfo.InvariantCulture));
            read[r].Should().Equal(expected, "row {0}", r);
        }
    }

    [Fact]
    public async Task Writer_Timestamps_HaveStatisticsDuckDbCanFilterBy()
    {
        var (batch, rows) = RandomBatch(seed: 5, count: 6_000, scale: 2, precision: 18);
        using var file = new TempParquet(await WriteAsync(batch, rows, parallelism: 2, ("rowGroupRows", "1000")));
        var cut = new DateTime(2025, 7, 1, 0, 0, 0, DateTimeKind.Utc);
        var expected = rows.LongCount(r => !batch.IsNull(r, 5) && batch.GetTimestampTicks(r, 5) >= cut.Ticks);

        // DuckDB skips row groups by their min/max: wrong statistics would drop matching rows.
        DuckDb.Scalar($"SELECT count(*) FROM read_parquet('{file.Path}') WHERE seenAt >= TIMESTAMPTZ '2025-07-01 00:00:00+00'")
            .Should().Be(expected).And.BeOfType<long>().Which.Should().BeGreaterThan(1_000);
        var bounds = DuckDb.Query(
            "SELECT epoch_us(CAST(stats_min AS TIMESTAMPTZ)), epoch_us(CAST(stats_max AS TIMESTAMPTZ)) " +
            $"FROM parquet_metadata('{file.Path}') WHERE path_in_schema = 'seenAt' ORDER BY row_group_id").First();
        var firstGroup = Enumerable.Range(0, 1000).Where(r => !batch.IsNull(r, 5)).Select(r => (batch.GetTimestampTicks(r, 5) - DateTime.UnixEpoch.Ticks) / 10).ToList();
        bounds.Should().Equal(firstGroup.Min(), firstGroup.Max());
    }

    [Theory]
    [InlineData(38, 18)]
    [InlineData(38, 2)]
    [InlineData(36, 0)]
    [InlineData(28, 6)]
    [InlineData(20, 0)]
    public async Task Writer_WideDecimals_ReadBackExactlyWithBoundsDuckDbCanFilterBy(int precision, int scale)
    {
        // Rising values from a large negative to a large positive one, so each row group holds its own range and a wrong
        // bound (UUID order, unsigned bytes) would make DuckDB skip rows; the widest values of the column's digits that a
        // .NET decimal holds, and the smallest step of its scale, at both ends. Precision 36 and 38 take the SDK's own
        // 16-byte encoding (scale 2 and 0 with values of three decimals: rounded first), 28 and 20 Parquet.Net's.
        var fraction = Math.Min(scale, 8);
        var widest = decimal.Parse(new string('9', Math.Min(precision - scale, 28 - fraction)) + (fraction > 0 ? "." + new string('9', fraction) : ""), CultureInfo.InvariantCulture);
        var step = scale <= 28 ? 1m / Pow10(scale) : 0m;
        var (batch, rows) = RandomBatch(seed: 7, count: 5_000, scale: scale, precision: precision);
        var values = new decimal?[rows.Length];
        for (var r = 0; r < rows.Length; r++)
        {
            values[r] = r switch
            {
                0 => -widest,
                1 => -widest + step,
                2499 => -step,
                2500 => 0m,
                2501 => step,
                4998 => widest - step,
                4999 => widest,
                _ when r % 10 == 5 => null,
                _ => (r - 2500) * 1_234_567.891m,
            };
            if (values[r] is { } value)
            {
                batch.SetDecimal(r, 3, value);
                // What the column holds: the value at its scale.
                values[r] = Math.Round(value, scale, MidpointRounding.AwayFromZero);
            }
            else
            {
                batch.SetNull(r, 3);
            }
        }

        using var file = new TempParquet(await WriteAsync(batch, rows, parallelism: 2, ("rowGroupRows", "1000"), ("decimalPrecision", $"{precision}"), ("decimalScale", $"{scale}")));

        var format = "F" + scale.ToString(CultureInfo.InvariantCulture);
        string? Text(decimal? value) => value?.ToString(format, CultureInfo.InvariantCulture);
        DuckDb.Describe(file.Path)["amount"].Should().Be($"DECIMAL({precision},{scale})");
        DuckDb.Query($"SELECT CAST(amount AS VARCHAR) FROM read_parquet('{file.Path}') ORDER BY id").Select(r => (string?)r[0])
            .Should().Equal(values.Select(Text));
        var cut = 1_234_567.891m * 1_000;
        DuckDb.Scalar($"SELECT count(*) FROM read_parquet('{file.Path}') WHERE amount >= {Text(cut)}")
            .Should().Be(values.LongCount(v => v >= cut)).And.BeOfType<long>().Which.Should().BeGreaterThan(1_000);
        DuckDb.Scalar($"SELECT count(*) FROM read_parquet('{file.Path}') WHERE amount < {Text(-cut)}")
            .Should().Be(values.LongCount(v => v < -cut)).And.BeOfType<long>().Which.Should().BeGreaterThan(1_000);
        // Single values, including row group 2's of both signs, found whatever page or row-group bounds say.
        foreach (var r in new[] { 0, 1, 2003, 2499, 2500, 2501, 2997, 4999 })
        {
            DuckDb.Scalar($"SELECT count(*) FROM read_parquet('{file.Path}') WHERE amount = CAST('{Text(values[r])}' AS DECIMAL({precision},{scale}))").Should().Be(values.LongCount(v => v == values[r]), "row {0}", r);
        }
        var bounds = DuckDb.Query($"SELECT stats_min_value, stats_max_value, stats_min, stats_max FROM parquet_metadata('{file.Path}') WHERE path_in_schema = 'amount' ORDER BY row_group_id");
        bounds.Select(b => decimal.Parse((string)b[0]!, CultureInfo.InvariantCulture)).Should().Equal(
            Enumerable.Range(0, 5).Select(g => values.Skip(g * 1000).Take(1000).Min()!.Value));
        bounds.Select(b => decimal.Parse((string)b[1]!, CultureInfo.InvariantCulture)).Should().Equal(
            Enumerable.Range(0, 5).Select(g => values.Skip(g * 1000).Take(1000).Max()!.Value));
        // The deprecated bounds, which older readers use, are the same.
        bounds.Should().OnlyContain(b => Equals(b[0], b[2]) && Equals(b[1], b[3]));
        if (precision >= 36)
        {
            // The page headers' bounds too (one page a row group here), which readers may skip pages by.
            static decimal Decode(byte[] bytes, int scale)
            {
                var unscaled = BinaryPrimitives.ReadInt128BigEndian(bytes);
                var digits = Int128.Abs(unscaled).ToString(CultureInfo.InvariantCulture).PadLeft(scale + 1, '0');
                var text = scale == 0 ? digits : digits.Insert(digits.Length - scale, ".");
                return decimal.Parse((unscaled < 0 ? "-" : "") + text, CultureInfo.InvariantCulture);
            }

            var pages = await PageBoundsAsync(file.Path, "amount");
            pages.Select(p => Decode(p.Min, scale)).Should().Equal(bounds.Select(b => decimal.Parse((string)b[0]!, CultureInfo.InvariantCulture)));
            pages.Select(p => Decode(p.Max, scale)).Should().Equal(bounds.Select(b => decimal.Parse((string)b[1]!, CultureInfo.InvariantCulture)));
        }
    }

    [Fact]
    public async Task Writer_DecimalExtremes_FitWhenTheColumnHoldsTwentyNineDigits()
    {
        var (batch, rows) = RandomBatch(seed: 4, count: 10, scale: 9, precision: 38);
        batch.SetDecimal(0, 3, decimal.MaxValue);
        batch.SetDecimal(1, 3, decimal.MinValue);
        using var file = new TempParquet(await WriteAsync(batch, rows, parallelism: 1, ("decimalPrecision", "38"), ("decimalScale", "9")));

        DuckDb.Query($"SELECT CAST(amount AS VARCHAR) FROM read_parquet('{file.Path}') ORDER BY id LIMIT 2").Select(r => (string?)r[0])
            .Should().Equal("79228162514264337593543950335.000000000", "-79228162514264337593543950335.000000000");
    }

    [Fact]
    public async Task Writer_Strings_ReadBackExactlyWithUtf8BoundsDuckDbCanFilterBy()
    {
        // Rising text so each row group holds its own range, with empty strings and two- to four-byte UTF-8. Text from
        // U+E000 sorts after a surrogate pair in UTF-16 but before it in UTF-8, the order Parquet uses: row group 1 holds
        // both (and a lone surrogate, written as U+FFFD), so its maximum differs between the orders; row group 3 holds
        // only such text, so its minimum does too.
        string[] special = ["", "é", "日本語", "emoji 😀 face", "\uE000 private", "😀", "quote \" and, comma", "a\nb"];
        var (batch, rows) = RandomBatch(seed: 9, count: 4_000, scale: 2, precision: 18);
        var values = new string?[rows.Length];
        for (var r = 0; r < rows.Length; r++)
        {
            values[r] = r % 10 == 5 ? null
                : r >= 3000 ? $"{(r % 2 == 0 ? "\uE000" : "😀")}{r}"
                : r % 500 < special.Length ? $"{r / 1000}{special[r % 500]}"
                : $"{r / 1000}-user{r:D5}@example.com";
        }

        values[7] = special[^1];
        values[1001] = "\uE000";
        values[1002] = "😀";
        values[1003] = "\uDC00";
        for (var r = 0; r < rows.Length; r++)
        {
            if (values[r] is { } value)
            {
                batch.SetString(r, 1, value);
            }
            else
            {
                batch.SetNull(r, 1);
            }
        }

        using var file = new TempParquet(await WriteAsync(batch, rows, parallelism: 2, ("rowGroupRows", "1000")));

        static byte[] Utf8(string text) => System.Text.Encoding.UTF8.GetBytes(text);
        static string Stored(string text) => System.Text.Encoding.UTF8.GetString(Utf8(text));
        DuckDb.Describe(file.Path)["email"].Should().Be("VARCHAR");
        DuckDb.Query($"SELECT email FROM read_parquet('{file.Path}') ORDER BY id").Select(r => (string?)r[0])
            .Should().Equal(values.Select(v => v is null ? null : Stored(v)));
        DuckDb.Scalar($"SELECT count(*) FROM read_parquet('{file.Path}') WHERE email >= '2'")
            .Should().Be(values.LongCount(v => v is not null && Utf8(v).AsSpan().SequenceCompareTo(Utf8("2")) >= 0)).And.BeOfType<long>().Which.Should().BeGreaterThan(1_000);
        DuckDb.Scalar($"SELECT count(*) FROM read_parquet('{file.Path}') WHERE email = '😀'").Should().Be(1L);
        DuckDb.Scalar($"SELECT count(*) FROM read_parquet('{file.Path}') WHERE email = '\uE0003000'").Should().Be(1L);
        var bounds = DuckDb.Query($"SELECT stats_min_value, stats_max_value, stats_min, stats_max FROM parquet_metadata('{file.Path}') WHERE path_in_schema = 'email' ORDER BY row_group_id");
        var groups = Enumerable.Range(0, 4).Select(g => values.Skip(g * 1000).Take(1000).OfType<string>().Select(Stored)
            .OrderBy(Utf8, Comparer<byte[]>.Create((a, b) => a.AsSpan().SequenceCompareTo(b))).ToList()).ToList();
        bounds.Select(b => (string?)b[0]).Should().Equal(groups.Select(g => g[0]));
        bounds.Select(b => (string?)b[1]).Should().Equal(groups.Select(g => g[^1]));
        // The deprecated bounds compare signed: they are left out for text, which sorts unsigned.
        bounds.Should().OnlyContain(b => b[2] == null && b[3] == null);
        // The orders do differ there: UTF-16 would pick "\uE000"/U+FFFD as row group 1's maximum and an emoji as row
        // group 3's minimum.
        groups[1][^1].Should().Be("😀");
        groups[3][0].Should().StartWith("\uE000");
    }

    [Fact]
    public async Task Writer_UuidColumn_HasBoundsInTheBytesOrderDuckDbFiltersBy()
    {
        var (batch, rows) = RandomBatch(seed: 3, count: 2_000, scale: 2, precision: 18);
        using var file = new TempParquet(await WriteAsync(batch, rows, parallelism: 2, ("rowGroupRows", "1000")));

        // Bounds in the UUIDs' byte order, unsigned, in the footer and in the page headers.
        static string Hex(Guid g) => Convert.ToHexString(g.ToByteArray(bigEndian: true));
        var groups = Enumerable.Range(0, 2).Select(g => rows.Skip(g * 1000).Take(1000).Where(r => !batch.IsNull(r, 6)).Select(r => batch.GetGuid(r, 6)).OrderBy(Hex, StringComparer.Ordinal).ToList()).ToList();
        var stats = DuckDb.Query($"SELECT stats_min_value, stats_max_value, stats_null_count FROM parquet_metadata('{file.Path}') WHERE path_in_schema = 'profileId' ORDER BY row_group_id");
        stats.Select(s => (string?)s[0]).Should().Equal(groups.Select(g => g[0].ToString()));
        stats.Select(s => (string?)s[1]).Should().Equal(groups.Select(g => g[^1].ToString()));
        var pages = await PageBoundsAsync(file.Path, "profileId");
        pages.Select(p => Convert.ToHexString(p.Min)).Should().Equal(groups.Select(g => Hex(g[0])));
        pages.Select(p => Convert.ToHexString(p.Max)).Should().Equal(groups.Select(g => Hex(g[^1])));

        // DuckDB skips row groups by them: wrong ones would drop matching rows.
        var ids = rows.Where(r => !batch.IsNull(r, 6)).Select(r => batch.GetGuid(r, 6)).ToList();
        foreach (var id in new[] { groups[0][0], groups[1][^1], ids[1500] })
        {
            DuckDb.Scalar($"SELECT count(*) FROM read_parquet('{file.Path}') WHERE profileId = '{id}'").Should().Be(1L);
            DuckDb.Scalar($"SELECT count(*) FROM read_parquet('{file.Path}') WHERE profileId >= '{id}'")
                .Should().Be((long)ids.Count(g => string.CompareOrdinal(Hex(g), Hex(id)) >= 0));
        }
    }

    [Fact]
    public async Task ThriftFooterWriter_FooterParquetNetWrote_WritesTheSameBytes()
    {
        // A file from Parquet.Net alone, with statistics, a dictionary page, custom metadata and over 14 row groups.
        var schema = new ParquetSchema(new DataField<int>("id"), new DataField<string>("status"), new DateTimeDataField("at", DateTimeFormat.Timestamp, isAdjustedToUTC: true, DateTimeTimeUnit.Micros, isNullable: true),
            new DecimalDataField("amount", 18, 2, isNullable: true), new DataField<Guid?>("uuid"), new DataField<DateOnly?>("day"));
        using var stream = new MemoryStream();
        var options = new ParquetOptions { ColumnEncodingHints = { ["status"] = EncodingHint.Dictionary } };
        await using (var writer = await ParquetWriter.CreateAsync(schema, stream, options))
        {
            writer.CustomMetadata = new Dictionary<string, string> { ["origin"] = "test", ["ünïcode"] = "✓" };
            for (var g = 0; g < 17; g++)
            {
                using var rowGroup = writer.CreateRowGroup();
                var ids = Enumerable.Range(g * 10, 10).ToArray();
                await rowGroup.WriteAsync(schema.DataFields[0], (ReadOnlyMemory<int>)ids);
                await rowGroup.WriteAsync(schema.DataFields[1], ids.Select(i => i % 3 == 0 ? "gone" : "here").ToArray());
                await rowGroup.WriteAsync(schema.DataFields[2], (ReadOnlyMemory<DateTime?>)ids.Select(i => i % 4 == 0 ? (DateTime?)null : DateTime.UnixEpoch.AddDays(i)).ToArray());
                await rowGroup.WriteAsync(schema.DataFields[3], (ReadOnlyMemory<decimal?>)ids.Select(i => (decimal?)(i * 1.25m)).ToArray());
                await rowGroup.WriteAsync(schema.DataFields[4], (ReadOnlyMemory<Guid?>)ids.Select(i => (Guid?)new Guid(i, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10)).ToArray());
                await rowGroup.WriteAsync(schema.DataFields[5], (ReadOnlyMemory<DateOnly?>)ids.Select(i => (DateOnly?)DateOnly.FromDayNumber(700_000 + i)).ToArray());
            }
        }

        var bytes = stream.ToArray();
        var length = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(bytes.Length - 8));
        var original = bytes.AsSpan(bytes.Length - 8 - length, length).ToArray();
        stream.Position = 0;
        await using var reader = await ParquetReader.CreateAsync(stream);
        using var rewritten = new MemoryStream();

        ThriftFooterWriter.Write(reader.Metadata!, rewritten);

        reader.Metadata!.RowGroups.Should().HaveCount(17);
        rewritten.ToArray().Should().Equal(original);
    }

    private static object?[] Expected(RowBatch batch, int row, int scale)
    {
        object? Value(int c, Func<object?> get) => batch.IsNull(row, c) ? null : get();
        return
        [
            batch.GetInt64(row, 0),
            Value(1, () => batch.GetString(row, 1)),
            Value(2, () => batch.GetInt32(row, 2)),
            Value(3, () => Math.Round(batch.GetDecimal(row, 3), scale, MidpointRounding.AwayFromZero).ToString("F" + scale.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)),
            Value(4, () => batch.GetDate(row, 4).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            Value(5, () => (batch.GetTimestampTicks(row, 5) - DateTime.UnixEpoch.Ticks) / 10),
            Value(6, () => batch.GetGuid(row, 6).ToString()),
            Value(7, () => batch.GetDouble(row, 7)),
            Value(8, () => batch.GetBoolean(row, 8)),
        ];
    }

    private static (RowBatch Batch, int[] Rows) RandomBatch(int seed, int count, int scale, int precision)
    {
        var random = new Random(seed);
        var schema = new ExportSchema(Columns.Select(c => new ExportColumn(c.Name, c.Type)));
        var batch = new RowBatch(schema, count);
        // Decimals stay inside the column's digits.
        var maxWhole = (long)Math.Pow(10, Math.Min(precision - scale, 12)) - 1;
        for (var i = 0; i < count; i++)
        {
            var row = batch.AddRow();
            batch.SetInt64(row, 0, i);
            bool Present() => random.Next(10) > 0;
            if (Present())
            {
                batch.SetString(row, 1, $"user{random.Next(1_000_000)}@example.com");
            }

            if (Present())
            {
                batch.SetInt32(row, 2, random.Next(int.MinValue, int.MaxValue));
            }

            if (Present())
            {
                // Three decimals: rounded for scale 2, kept for wider scales.
                batch.SetDecimal(row, 3, random.NextInt64(-maxWhole * 1000, maxWhole * 1000) / 1000m);
            }

            if (Present())
            {
                batch.SetDate(row, 4, DateOnly.FromDayNumber(random.Next(DateOnly.MaxValue.DayNumber)));
            }

            if (Present())
            {
                batch.SetTimestamp(row, 5, new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(random.NextInt64(365L * TimeSpan.TicksPerDay)));
            }

            if (Present())
            {
                batch.SetGuid(row, 6, new Guid([.. Enumerable.Range(0, 16).Select(_ => (byte)random.Next(256))]));
            }

            if (Present())
            {
                batch.SetDouble(row, 7, random.NextDouble() * 1e6);
            }

            if (Present())
            {
                batch.SetBoolean(row, 8, random.Next(2) == 0);
            }
        }

        return (batch, Enumerable.Range(0, count).ToArray());
    }

    private static Task<byte[]> WriteAsync(RowBatch batch, int[] rows, int parallelism, params (string Key, string Value)[] settings) =>
        ParquetBytes.WriteAsync(Columns, batch, rows, parallelism, settings);

    /// <summary>
    /// The bounds in the data page headers of a column, one entry a page, read by Parquet.Net's own (internal) Thrift
    /// reader: no public reader exposes page headers. Fails if a page has none.
    /// </summary>
    private static async Task<List<(byte[] Min, byte[] Max)>> PageBoundsAsync(string path, string column)
    {
        var bytes = await File.ReadAllBytesAsync(path);
        using var stream = new MemoryStream(bytes);
        await using var reader = await ParquetReader.CreateAsync(stream);
        var parquet = typeof(ParquetReader).Assembly;
        var thriftReader = parquet.GetTypes().Single(t => t.Name == "ThriftCompactProtocolReader");
        var read = typeof(global::Parquet.Meta.PageHeader).GetMethod("Read", System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic)!;
        var pages = new List<(byte[], byte[])>();
        foreach (var rowGroup in reader.Metadata!.RowGroups)
        {
            var chunk = rowGroup.Columns.Single(c => c.MetaData!.PathInSchema.SequenceEqual([column])).MetaData!;
            var at = chunk.DictionaryPageOffset ?? chunk.DataPageOffset;
            while (at < chunk.DataPageOffset + chunk.TotalCompressedSize)
            {
                using var pageStream = new MemoryStream(bytes) { Position = at };
                var thrift = Activator.CreateInstance(thriftReader, System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic, null, [pageStream], null);
                var header = (global::Parquet.Meta.PageHeader)read.Invoke(null, [thrift])!;
                if (header.DataPageHeader?.Statistics is { } statistics)
                {
                    // The deprecated bounds, where set (signed orders only), are the same.
                    if (statistics.Min is not null || statistics.Max is not null)
                    {
                        statistics.MinValue.Should().Equal(statistics.Min);
                        statistics.MaxValue.Should().Equal(statistics.Max);
                    }
                    pages.Add((statistics.MinValue!, statistics.MaxValue!));
                }

                at = pageStream.Position + header.CompressedPageSize;
            }
        }

        return pages;
    }

    private static decimal Pow10(int exponent) => Enumerable.Repeat(10m, exponent).Aggregate(1m, (a, b) => a * b);
}
