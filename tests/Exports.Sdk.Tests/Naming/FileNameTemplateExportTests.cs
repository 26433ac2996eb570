using System.Text;
using Exports.Sdk.Tests.Fixtures;

namespace Exports.Sdk.Tests.Naming;

/// <summary>Audience names and ids from data, through a whole export: every file lands directly in the root folder.</summary>
public sealed class FileNameTemplateExportTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly string _root;

    public FileNameTemplateExportTests()
    {
        _root = Path.Combine(_folder.Root, "outer", "root");
        Directory.CreateDirectory(_root);
    }

    public static TheoryData<string, string> UnsafeAudiences() => new()
    {
        { "seg", "../../etc/x" },
        { "../../evil", "Evil" },
        { "a/b\\c", "a/b\\c" },
        { "seg", "..\\..\\windows\\x" },
        { "seg", "/etc/passwd" },
        { "seg", "tab\tnew\nline\rnul\0" },
        { "seg", "." },
        { "..", ".." },
        { "seg", new string('n', 300) },
        { "seg", new string('中', 300) },
        { new string('i', 300), new string('é', 300) },
    };

    public void Dispose() => _folder.Dispose();

    [Theory]
    [MemberData(nameof(UnsafeAudiences))]
    public async Task RunAsync_UnsafeAudienceIdOrName_FilesLandDirectlyInRoot(string id, string name)
    {
        var source = new TableSource(new ExportColumn("id", ExportColumnType.Int32))
            .AddGenerated(id, name, 15, i => [(int)i]);

        var result = await new ExportScenario
        {
            Source = source,
            Attributes = source.AttributeNames,
            Root = _root,
            AudienceIds = [id],
            Template = "%SEGMENT_NAME%_%DESTINATION_NAME%_%SEGMENT_ID%_%DATETIME(YYYYMMdd_HHmmss)%",
            Configure = d =>
            {
                d.Output.MaxRowsPerFile = 7;
                d.Output.Format.Compression = ExportCompression.Gzip;
            },
        }.RunAsync();

        result.Status.Should().Be(ExportRunStatus.Succeeded, string.Join("; ", result.Errors));
        var files = _folder.ListAllFiles();
        files.Should().HaveCount(4, "three parts and the manifest");
        files.Should().OnlyContain(f => f.StartsWith("outer/root/", StringComparison.Ordinal) && f.IndexOf('/', "outer/root/".Length) < 0);
        Directory.GetDirectories(_folder.Root).Should().Equal(Path.Combine(_folder.Root, "outer"));
        Directory.GetDirectories(_root).Should().BeEmpty();

        var names = result.Entries[0].Files.Select(f => f.Name).ToList();
        names.Should().HaveCount(3);
        foreach (var file in names)
        {
            FileNameTemplateTests.AssertSafe(file);
        }

        names[0].Should().EndWith("_20260304_050607.csv.gz");
        names[1].Should().EndWith("_20260304_050607_2.csv.gz");
        names[2].Should().EndWith("_20260304_050607_3.csv.gz");
        var baseName = names[0][..^".csv.gz".Length];
        names[1].Should().Be(baseName + "_2.csv.gz", "every part shares the base name");
        names[2].Should().Be(baseName + "_3.csv.gz");
        names[0].Should().Contain("_dest_", "the destination name survives");
        Encoding.UTF8.GetByteCount(names[2]).Should().BeLessThanOrEqualTo(255);

        var ids = names.SelectMany(n => FileContent.ParseCsvFile(Path.Combine(_root, n)).Skip(1)).Select(r => int.Parse(r[0], System.Globalization.CultureInfo.InvariantCulture));
        ids.Should().Equal(Enumerable.Range(0, 15));
    }
}
