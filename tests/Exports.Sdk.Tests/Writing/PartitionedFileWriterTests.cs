using System.Text.Json;
using Exports.Sdk.Tests.Fixtures;

namespace Exports.Sdk.Tests.Writing;

/// <summary>Splitting into parts, seen from the files a run leaves in a local folder.</summary>
public sealed class PartitionedFileWriterTests : IDisposable
{
    private const int N = 7;
    private const string Manifest = "manifest-dest-run1.json";
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData(0, new[] { 0 })]
    [InlineData(1, new[] { 1 })]
    [InlineData(N - 1, new[] { N - 1 })]
    [InlineData(N, new[] { N })]
    [InlineData(N + 1, new[] { N, 1 })]
    [InlineData((3 * N) + 1, new[] { N, N, N, 1 })]
    public async Task WriteAsync_RowCountAroundLimit_WritesExpectedPartsNamesAndRows(int rows, int[] expectedRowsPerPart)
    {
        await AssertSplitAsync(rows, expectedRowsPerPart, compression: ExportCompression.None);
    }

    [Theory]
    [InlineData(0, new[] { 0 })]
    [InlineData(N, new[] { N })]
    [InlineData(N + 1, new[] { N, 1 })]
    [InlineData((3 * N) + 1, new[] { N, N, N, 1 })]
    public async Task WriteAsync_GzipAroundLimit_NamesEndInGzAndRowsSurvive(int rows, int[] expectedRowsPerPart)
    {
        await AssertSplitAsync(rows, expectedRowsPerPart, compression: ExportCompression.Gzip);
    }

    [Fact]
    public async Task WriteAsync_JsonLinesGzipSplit_NamesKeepExtensionsLast()
    {
        var source = Source(15);
        var result = await Scenario(source, d =>
        {
            d.Output.MaxRowsPerFile = N;
            d.Output.Format.Name = "jsonl";
            d.Output.Format.Compression = ExportCompression.Gzip;
        }).RunAsync();

        result.Status.Should().Be(ExportRunStatus.Succeeded, string.Join("; ", result.Errors));
        _folder.ListAllFiles().Should().BeEquivalentTo(
            ["dest_seg.jsonl.gz", "dest_seg_2.jsonl.gz", "dest_seg_3.jsonl.gz", Manifest]);
        var ids = new[] { "dest_seg.jsonl.gz", "dest_seg_2.jsonl.gz", "dest_seg_3.jsonl.gz" }
            .SelectMany(f => FileContent.Lines(Path.Combine(_folder.Root, f)))
            .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("id").GetInt32());
        ids.Should().Equal(Enumerable.Range(0, 15));
    }

    [Fact]
    public async Task WriteAsync_RowsSpanManyBatches_PartsStillHoldExactlyMaxRows()
    {
        // A batch size that is coprime with the part size, so parts end in the middle of batches.
        var source = new TableSource(Columns) { BatchSize = 3 }.AddGenerated("seg", "Segment", 50, Row);
        var result = await Scenario(source, d => d.Output.MaxRowsPerFile = 11).RunAsync();

        result.Status.Should().Be(ExportRunStatus.Succeeded, string.Join("; ", result.Errors));
        var parts = DataFiles();
        parts.Select(p => ReadIds(p).Count).Should().Equal(11, 11, 11, 11, 6);
        parts.SelectMany(ReadIds).Should().Equal(Enumerable.Range(0, 50));
    }

    [Theory]
    [InlineData(ExportCompression.None, 4096)]
    [InlineData(ExportCompression.None, 10_000)]
    [InlineData(ExportCompression.Gzip, 4096)]
    [InlineData(ExportCompression.Gzip, 16_384)]
    public async Task WriteAsync_ByteLimit_EveryPartFitsAndRowsArePreserved(ExportCompression compression, long limit)
    {
        const int rows = 3000;
        var source = new TableSource(Columns) { BatchSize = 500 }.AddGenerated("seg", "Segment", rows, Row);
        var result = await Scenario(source, d =>
        {
            d.Output.MaxBytesPerFile = limit;
            d.Output.Format.Compression = compression;
        }).RunAsync();

        result.Status.Should().Be(ExportRunStatus.Succeeded, string.Join("; ", result.Errors));
        var parts = DataFiles();
        parts.Should().HaveCountGreaterThan(2);
        foreach (var part in parts)
        {
            new FileInfo(part).Length.Should().BeLessThanOrEqualTo(limit, "{0} must respect the byte limit", Path.GetFileName(part));
        }

        // Parts are not cut needlessly small: all but the last use at least half the allowance.
        foreach (var part in parts.SkipLast(1))
        {
            new FileInfo(part).Length.Should().BeGreaterThan(limit / 2, "{0} should be filled before rolling over", Path.GetFileName(part));
        }

        parts.SelectMany(ReadIds).Should().Equal(Enumerable.Range(0, rows));
        result.Entries[0].Files.Select(f => f.Rows).Should().Equal(parts.Select(p => (long)ReadIds(p).Count));
    }

    [Fact]
    public async Task CompleteAsync_EmptyAudienceDefaultPolicy_WritesOneHeaderOnlyFile()
    {
        var result = await Scenario(Source(0), configure: null).RunAsync();

        result.Status.Should().Be(ExportRunStatus.Succeeded, string.Join("; ", result.Errors));
        _folder.ListAllFiles().Should().BeEquivalentTo(["dest_seg.csv", Manifest]);
        FileContent.ParseCsvFile(Path.Combine(_folder.Root, "dest_seg.csv")).Should().BeEquivalentTo(
            [new[] { "id", "name", "guid" }], o => o.WithStrictOrdering());
        File.ReadAllText(Path.Combine(_folder.Root, "dest_seg.csv")).Should().Be("id,name,guid\n");
        result.Entries[0].Files.Should().ContainSingle().Which.Rows.Should().Be(0);
    }

    [Fact]
    public async Task CompleteAsync_EmptyAudienceGzipHeaderOnly_WritesValidGzipWithHeader()
    {
        var result = await Scenario(Source(0), d => d.Output.Format.Compression = ExportCompression.Gzip).RunAsync();

        result.Status.Should().Be(ExportRunStatus.Succeeded, string.Join("; ", result.Errors));
        FileContent.Lines(Path.Combine(_folder.Root, "dest_seg.csv.gz")).Should().Equal("id,name,guid");
    }

    [Fact]
    public async Task CompleteAsync_EmptyAudienceNoFilePolicy_WritesNoFileAndNoManifest()
    {
        var result = await Scenario(Source(0), d => d.Output.EmptyExport = EmptyExportBehavior.NoFile).RunAsync();

        result.Status.Should().Be(ExportRunStatus.Succeeded, string.Join("; ", result.Errors));
        _folder.ListAllFiles().Should().BeEmpty();
        result.ManifestPath.Should().BeNull();
        result.Files.Should().BeEmpty();
    }

    [Fact]
    public async Task CompleteAsync_EmptyAudienceManifestOnlyPolicy_WritesManifestListingNoFiles()
    {
        var result = await Scenario(Source(0), d => d.Output.EmptyExport = EmptyExportBehavior.ManifestOnly).RunAsync();

        result.Status.Should().Be(ExportRunStatus.Succeeded, string.Join("; ", result.Errors));
        _folder.ListAllFiles().Should().Equal(Manifest);
        using var manifest = JsonDocument.Parse(_folder.ReadBytes(Manifest));
        manifest.RootElement.GetProperty("flowRunId").GetString().Should().Be("run1");
        manifest.RootElement.GetProperty("exportResults").GetArrayLength().Should().Be(0);
        manifest.RootElement.GetProperty("columns").EnumerateArray().Select(c => (c.GetProperty("name").GetString(), c.GetProperty("type").GetString()))
            .Should().Equal([("id", "int32"), ("name", "string"), ("guid", "guid")], "the source described the columns even without rows");
    }

    [Theory]
    [InlineData(EmptyExportBehavior.NoFile)]
    [InlineData(EmptyExportBehavior.ManifestOnly)]
    public async Task CompleteAsync_NonEmptyAudienceWithEmptyPolicy_StillWritesData(EmptyExportBehavior policy)
    {
        var result = await Scenario(Source(3), d => d.Output.EmptyExport = policy).RunAsync();

        result.Status.Should().Be(ExportRunStatus.Succeeded, string.Join("; ", result.Errors));
        _folder.ListAllFiles().Should().BeEquivalentTo(["dest_seg.csv", Manifest]);
        ReadIds(Path.Combine(_folder.Root, "dest_seg.csv")).Should().Equal(0, 1, 2);
    }

    private static readonly ExportColumn[] Columns =
    [
        new("id", ExportColumnType.Int32),
        new("name", ExportColumnType.String),
        new("guid", ExportColumnType.Guid),
    ];

    private static object?[] Row(long i) =>
        [(int)i, $"name {i}, \"quoted\" é", new Guid((int)i, (short)(i * 7), (short)(i * 13), 1, 2, 3, 4, 5, 6, (byte)(i * 31), (byte)(i * 17))];

    private static TableSource Source(int rows) => new TableSource(Columns).AddGenerated("seg", "Segment", rows, Row);

    private ExportScenario Scenario(TableSource source, Action<DestinationDefinition>? configure) => new()
    {
        Source = source,
        Attributes = source.AttributeNames,
        Root = _folder.Root,
        Configure = configure,
    };

    private async Task AssertSplitAsync(int rows, int[] expectedRowsPerPart, ExportCompression compression)
    {
        var extension = compression == ExportCompression.Gzip ? ".csv.gz" : ".csv";
        var result = await Scenario(Source(rows), d =>
        {
            d.Output.MaxRowsPerFile = N;
            d.Output.Format.Compression = compression;
        }).RunAsync();

        result.Status.Should().Be(ExportRunStatus.Succeeded, string.Join("; ", result.Errors));
        var expectedNames = expectedRowsPerPart.Select((_, i) => "dest_seg" + (i == 0 ? "" : "_" + (i + 1)) + extension).ToList();
        _folder.ListAllFiles().Should().BeEquivalentTo([.. expectedNames, Manifest]);

        var parts = expectedNames.Select(n => Path.Combine(_folder.Root, n)).ToList();
        foreach (var part in parts)
        {
            FileContent.ParseCsvFile(part)[0].Should().Equal("id", "name", "guid");
        }

        parts.Select(p => ReadIds(p).Count).Should().Equal(expectedRowsPerPart);
        var all = parts.SelectMany(p => FileContent.ParseCsvFile(p).Skip(1)).ToList();
        all.Select(r => r[0]).Should().Equal(Enumerable.Range(0, rows).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        all.Select(r => r[1]).Should().Equal(Enumerable.Range(0, rows).Select(i => (string)Row(i)[1]!));
        all.Select(r => Guid.Parse(r[2])).Should().Equal(Enumerable.Range(0, rows).Select(i => (Guid)Row(i)[2]!));

        result.Entries[0].RowsRead.Should().Be(rows);
        result.Entries[0].RowsExported.Should().Be(rows);
        result.Entries[0].Files.Select(f => f.Name).Should().Equal(expectedNames);
        result.Entries[0].Files.Select(f => f.Part).Should().Equal(Enumerable.Range(1, expectedNames.Count));
        result.Entries[0].Files.Select(f => f.Rows).Should().Equal(expectedRowsPerPart.Select(r => (long)r));
    }

    private List<string> DataFiles() =>
        [.. _folder.ListAllFiles()
            .Where(f => f != Manifest)
            .OrderBy(f => PartNumber(f))
            .Select(f => Path.Combine(_folder.Root, f))];

    private static int PartNumber(string name)
    {
        var stem = name.Split('.')[0];
        var underscore = stem.LastIndexOf('_');
        return int.TryParse(stem[(underscore + 1)..], out var n) ? n : 1;
    }

    private static List<int> ReadIds(string path) =>
        [.. FileContent.ParseCsvFile(path).Skip(1).Select(r => int.Parse(r[0], System.Globalization.CultureInfo.InvariantCulture))];
}
