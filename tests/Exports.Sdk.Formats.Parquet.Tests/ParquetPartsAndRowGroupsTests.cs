using Exports.Sdk.Testing;

namespace Exports.Sdk.Formats.Parquet.Tests;

public class ParquetPartsAndRowGroupsTests
{
    [Fact]
    public async Task AudienceExport_MaxRowsPerFile_SplitsIntoThreePartsWithRowGroups()
    {
        var audiences = new SyntheticAudienceSource().AddAudience("seg-1", "Big spenders", 2_500);
        await using var host = new ExportHost(d =>
        {
            d.Output.MaxRowsPerFile = 1_000;
            d.Output.Format.Settings["rowGroupRows"] = "300";
        }, audiences: audiences);
        var dataflow = new DataflowDefinition
        {
            Id = "flow",
            Source = "aud",
            Destination = "lake",
            Attributes = [.. SyntheticAudienceSource.AttributeNames],
            IncludeMembershipStatus = true,
            Audiences = [new AudienceActivation { AudienceId = "seg-1", FileNameTemplate = "%DESTINATION_NAME%_%SEGMENT_ID%" }],
        };

        var result = await host.Audiences.RunAsync(dataflow, new ExportRunRequest { RunId = "run-1" });

        result.Status.Should().Be(ExportRunStatus.Succeeded, string.Join("; ", result.Errors));
        result.Files.Select(f => (f.Name, f.Rows)).Should().Equal(("lake_seg-1.parquet", 1_000L), ("lake_seg-1_2.parquet", 1_000L), ("lake_seg-1_3.parquet", 500L));
        foreach (var file in result.Files)
        {
            var path = host.FullPath(file.Path);
            DuckDb.Scalar($"SELECT count(*) FROM read_parquet('{path}', hive_partitioning = false)").Should().Be(file.Rows);
            var groups = DuckDb.Query($"SELECT row_group_num_rows FROM parquet_metadata('{path}') WHERE column_id = 0 ORDER BY row_group_id")
                .Select(r => (long)r[0]!).ToList();
            groups.Should().OnlyContain(n => n <= 300).And.HaveCount((int)Math.Ceiling(file.Rows / 300.0));
        }

        var all = string.Join(", ", result.Files.Select(f => $"'{host.FullPath(f.Path)}'"));
        DuckDb.Scalar($"SELECT count(DISTINCT profileId) FROM read_parquet([{all}], hive_partitioning = false)").Should().Be(2_500L);
        var manifest = ManifestWriter.Read(File.ReadAllBytes(host.FullPath("manifest-lake-run-1.json")));
        manifest.Format.Should().Be("parquet");
        manifest.Compression.Should().Be("snappy");
        manifest.ExportResults.Select(f => f.Rows).Should().Equal(1_000L, 1_000L, 500L);
    }

    [Fact]
    public async Task Writer_RowGroupBytes_FlushesBeforeRowLimit()
    {
        var schema = new ExportSchema(new ExportColumn("text", ExportColumnType.String));
        var batch = new RowBatch(schema, 4096);
        var text = new string('x', 1100);
        for (var i = 0; i < 4096; i++)
        {
            batch.SetString(batch.AddRow(), 0, text);
        }

        var output = new StrictForwardOnlyStream();
        var options = new FileFormatOptions { Name = "parquet" };
        options.Settings["rowGroupBytes"] = (1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var writer = (ParquetFormatWriter)new ParquetFormat().CreateWriter(output, new FormatWriterContext([new OutputColumn("text", ExportColumnType.String, 0)], options, "test"));
        await writer.WriteAsync(batch, Enumerable.Range(0, 4096).ToArray());
        await writer.CompleteAsync();
        await writer.DisposeAsync();

        // ~1 KB a row, 1 MiB a group, checked every 1,024 rows: four groups of 1,024 rows.
        writer.RowGroupsWritten.Should().Be(4);
        var path = Path.Combine(Path.GetTempPath(), $"rowgroups-{Guid.NewGuid():N}.parquet");
        await File.WriteAllBytesAsync(path, output.ToArray());
        try
        {
            DuckDb.Scalar($"SELECT count(*) FROM read_parquet('{path}', hive_partitioning = false)").Should().Be(4096L);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Writer_NoRows_WritesValidFileWithSchema()
    {
        var output = new StrictForwardOnlyStream();
        var writer = new ParquetFormat().CreateWriter(output, new FormatWriterContext(
            [new OutputColumn("id", ExportColumnType.Int64, 0), new OutputColumn("email", ExportColumnType.String, 1)], new FileFormatOptions { Name = "parquet" }, "test"));
        await writer.CompleteAsync();
        await writer.DisposeAsync();

        var path = Path.Combine(Path.GetTempPath(), $"empty-{Guid.NewGuid():N}.parquet");
        await File.WriteAllBytesAsync(path, output.ToArray());
        try
        {
            DuckDb.Scalar($"SELECT count(*) FROM read_parquet('{path}', hive_partitioning = false)").Should().Be(0L);
            DuckDb.Describe(path).Keys.Should().Equal("id", "email");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("codec", "lz4", "Format.Settings.codec 'lz4'")]
    [InlineData("rowGroupRows", "0", "Format.Settings.rowGroupRows '0'")]
    [InlineData("rowGroupBytes", "ten", "Format.Settings.rowGroupBytes 'ten'")]
    [InlineData("decimalPrecision", "40", "Format.Settings.decimalPrecision '40'")]
    [InlineData("compressionLevel", "max", "Format.Settings.compressionLevel 'max'")]
    [InlineData("rowGroupSize", "10", "unknown key 'rowGroupSize'")]
    public void Validate_BadSetting_NamesKeyAndValue(string key, string value, string expected)
    {
        var options = new FileFormatOptions { Name = "parquet" };
        options.Settings[key] = value;

        new ParquetFormat().Validate(options).Should().ContainSingle().Which.Should().Contain(expected);
    }

    [Fact]
    public void Validate_Defaults_NoProblems() =>
        new ParquetFormat().Validate(new FileFormatOptions { Name = "parquet" }).Should().BeEmpty();
}
