using System.Security.Cryptography;
using System.Text.Json;
using Exports.Sdk.Tests.Fixtures;

namespace Exports.Sdk.Tests.Manifests;

/// <summary>The manifest, parsed with <see cref="JsonDocument"/> and checked against the bytes on disk.</summary>
public sealed class ManifestTests : IDisposable
{
    private const string ManifestName = "manifest-dest-run1.json";
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("csv", ExportCompression.Gzip)]
    [InlineData("csv", ExportCompression.None)]
    [InlineData("jsonl", ExportCompression.Gzip)]
    public async Task WriteAsync_AfterRun_SizesRowsAndChecksumsMatchFilesOnDisk(string format, ExportCompression compression)
    {
        var source = new TableSource(Columns)
            .AddGenerated("a", "Audience A", 23, Row)
            .AddGenerated("b", "Audience B", 5, Row);

        var result = await Scenario(source, ["a", "b"], d =>
        {
            d.Output.MaxRowsPerFile = 10;
            d.Output.Format.Name = format;
            d.Output.Format.Compression = compression;
        }).RunAsync();

        result.Status.Should().Be(ExportRunStatus.Succeeded, string.Join("; ", result.Errors));
        result.ManifestPath.Should().Be(ManifestName);
        using var manifest = JsonDocument.Parse(_folder.ReadBytes(ManifestName));
        var root = manifest.RootElement;
        var files = root.GetProperty("exportResults").EnumerateArray().ToList();

        var onDisk = _folder.ListAllFiles().Where(f => f != ManifestName).ToList();
        files.Select(f => f.GetProperty("sinkPath").GetString()).Should().BeEquivalentTo(onDisk, "the manifest lists exactly the data files");
        files.Should().HaveCount(4);

        foreach (var file in files)
        {
            var path = file.GetProperty("sinkPath").GetString()!;
            var bytes = _folder.ReadBytes(path);
            file.GetProperty("name").GetString().Should().Be(Path.GetFileName(path));
            file.GetProperty("size").GetInt64().Should().Be(bytes.LongLength, "size of {0}", path);
            file.GetProperty("sha256").GetString().Should().Be(Convert.ToHexStringLower(SHA256.HashData(bytes)), "checksum of {0}", path);
            file.GetProperty("rows").GetInt64().Should().Be(CountRows(path, format), "rows of {0}", path);
        }

        var ext = (format == "csv" ? ".csv" : ".jsonl") + (compression == ExportCompression.Gzip ? ".gz" : "");
        files.Select(f => (f.GetProperty("sinkPath").GetString(), f.GetProperty("audienceId").GetString(), f.GetProperty("part").GetInt32(), f.GetProperty("rows").GetInt64()))
            .Should().Equal(
                ("dest_a" + ext, "a", 1, 10L),
                ("dest_a_2" + ext, "a", 2, 10L),
                ("dest_a_3" + ext, "a", 3, 3L),
                ("dest_b" + ext, "b", 1, 5L));

        root.GetProperty("flowRunId").GetString().Should().Be("run1");
        root.GetProperty("dataflowId").GetString().Should().Be("flow");
        root.GetProperty("destinationId").GetString().Should().Be("dest");
        root.GetProperty("format").GetString().Should().Be(format);
        root.GetProperty("compression").GetString().Should().Be(compression == ExportCompression.Gzip ? "gzip" : "none");
        root.GetProperty("scheduledTime").GetDateTimeOffset().Should().Be(ExportScenario.ScheduledTime);
        root.GetProperty("scheduledTime").GetDateTimeOffset().Offset.Should().Be(TimeSpan.Zero);
        root.GetProperty("exportTime").GetDateTimeOffset().Offset.Should().Be(TimeSpan.Zero);
        root.GetProperty("columns").EnumerateArray().Select(c => (c.GetProperty("name").GetString(), c.GetProperty("type").GetString()))
            .Should().Equal(("id", "int32"), ("email", "string"), ("seen", "timestamp"));

        // The run result tells the same story as the manifest.
        result.Files.Select(f => (f.Path, f.Size, f.Sha256, f.Rows)).Should().Equal(
            files.Select(f => (f.GetProperty("sinkPath").GetString()!, f.GetProperty("size").GetInt64(), f.GetProperty("sha256").GetString()!, f.GetProperty("rows").GetInt64())));
        result.Entries.Select(a => (a.SourceId, a.RowsRead, a.RowsExported)).Should().Equal(("a", 23L, 23L), ("b", 5L, 5L));
        result.Entries.Select(a => a.Bytes).Should().Equal(
            onDisk.Where(f => f.StartsWith("dest_a", StringComparison.Ordinal)).Sum(f => new FileInfo(Path.Combine(_folder.Root, f)).Length),
            onDisk.Where(f => f.StartsWith("dest_b", StringComparison.Ordinal)).Sum(f => new FileInfo(Path.Combine(_folder.Root, f)).Length));
    }

    [Fact]
    public async Task WriteAsync_AfterRun_IsPublishedAfterTheLastDataFile()
    {
        RecordingDestination? recorder = null;
        var source = new TableSource(Columns).AddGenerated("a", "A", 23, Row).AddGenerated("b", "B", 12, Row);

        var result = await (Scenario(source, ["a", "b"], d => d.Output.MaxRowsPerFile = 10) with
        {
            Wrap = d => recorder = new RecordingDestination(d),
        }).RunAsync();

        result.Status.Should().Be(ExportRunStatus.Succeeded, string.Join("; ", result.Errors));
        var events = recorder!.Events;
        events.Should().HaveCount(17, "five data files and the manifest are each opened and committed, then the five staged files are moved over their fixed names");
        events.Skip(10).Take(2).Should().Equal("open " + ManifestName, "commit " + ManifestName);
        events.Take(10).Count(e => e.StartsWith("commit .dest_", StringComparison.Ordinal)).Should().Be(5);
        events.Skip(12).Should().OnlyContain(e => e.StartsWith("move .dest_", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WriteAsync_FolderPath_ManifestAndFilesShareTheFolder()
    {
        var source = new TableSource(Columns).AddGenerated("a", "A", 3, Row);

        var result = await Scenario(source, ["a"], d => d.FolderPath = "exports/daily").RunAsync();

        result.Status.Should().Be(ExportRunStatus.Succeeded, string.Join("; ", result.Errors));
        _folder.ListAllFiles().Should().BeEquivalentTo(["exports/daily/dest_a.csv", "exports/daily/" + ManifestName]);
        using var manifest = JsonDocument.Parse(_folder.ReadBytes("exports/daily/" + ManifestName));
        manifest.RootElement.GetProperty("exportResults")[0].GetProperty("sinkPath").GetString().Should().Be("exports/daily/dest_a.csv");
    }

    [Fact]
    public async Task WriteAsync_FailedRun_WritesNoManifest()
    {
        var source = new TableSource(Columns) { ThrowAtRow = 15 }.AddGenerated("a", "A", 23, Row);

        var result = await Scenario(source, ["a"], d => d.Output.MaxRowsPerFile = 5).RunAsync();

        result.Status.Should().Be(ExportRunStatus.Failed);
        result.ManifestPath.Should().BeNull();
        _folder.ListAllFiles().Should().BeEmpty();
    }

    [Fact]
    public async Task WriteAsync_OneAudienceFails_ManifestListsOnlyTheCompleteFiles()
    {
        var source = new TableSource(Columns) { ThrowAtRow = 15 }
            .AddGenerated("ok", "Fine", 8, Row)
            .AddGenerated("bad", "Broken", 23, Row);

        var result = await Scenario(source, ["ok", "bad"], d => d.Output.MaxRowsPerFile = 5).RunAsync();

        result.Status.Should().Be(ExportRunStatus.PartiallySucceeded);
        using var manifest = JsonDocument.Parse(_folder.ReadBytes(ManifestName));
        manifest.RootElement.GetProperty("exportResults").EnumerateArray().Select(f => f.GetProperty("sinkPath").GetString())
            .Should().Equal("dest_ok.csv", "dest_ok_2.csv");
        _folder.ListAllFiles().Should().BeEquivalentTo(["dest_ok.csv", "dest_ok_2.csv", ManifestName]);
    }

    [Fact]
    public async Task WriteAsync_ManifestDisabled_WritesOnlyData()
    {
        var source = new TableSource(Columns).AddGenerated("a", "A", 3, Row);

        var result = await Scenario(source, ["a"], d => d.Output.WriteManifest = false).RunAsync();

        result.Status.Should().Be(ExportRunStatus.Succeeded, string.Join("; ", result.Errors));
        result.ManifestPath.Should().BeNull();
        _folder.ListAllFiles().Should().Equal("dest_a.csv");
    }

    [Fact]
    public async Task WriteAsync_DestinationId_NamesTheManifest()
    {
        var source = new TableSource(Columns).AddGenerated("a", "A", 3, Row);

        var result = await (Scenario(source, ["a"], d => d.Id = "dst-42") with { RunId = "2026-03-04/run:7" }).RunAsync();

        result.Status.Should().Be(ExportRunStatus.Succeeded, string.Join("; ", result.Errors));
        _folder.ListAllFiles().Should().BeEquivalentTo(["dest_a.csv", "manifest-dst-42-2026-03-04_run_7.json"]);
    }

    private static readonly ExportColumn[] Columns =
    [
        new("id", ExportColumnType.Int32),
        new("email", ExportColumnType.String),
        new("seen", ExportColumnType.Timestamp),
    ];

    private static object?[] Row(long i) =>
        [(int)i, $"user{i}@example.com", new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(i)];

    private long CountRows(string path, string format)
    {
        var full = Path.Combine(_folder.Root, path);
        return format == "csv"
            ? FileContent.ParseCsvFile(full).Count - 1
            : FileContent.Lines(full).Count(l => JsonDocument.Parse(l).RootElement.ValueKind == JsonValueKind.Object);
    }

    private ExportScenario Scenario(TableSource source, IReadOnlyList<string> audiences, Action<DestinationDefinition> configure) => new()
    {
        Source = source,
        Attributes = source.AttributeNames,
        Root = _folder.Root,
        AudienceIds = audiences,
        Configure = configure,
    };
}
