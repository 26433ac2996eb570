namespace Exports.Sdk.Tests.Naming;

/// <summary>Names made from data never hide or reorder what a person reads, and manifests keep their run id.</summary>
public sealed class FileNameSanitizerTests
{
    [Theory]
    [InlineData("vip\u202Ecsv.exe", "vip_csv.exe")]
    [InlineData("vip\u200Bcustomers", "vip_customers")]
    [InlineData("\uFEFFvip", "_vip")]
    [InlineData("vip\u2028line", "vip_line")]
    [InlineData("Clientes VIP — España", "Clientes VIP — España")]
    public void Sanitize_FormatAndSeparatorCharacters_AreReplaced(string value, string expected) =>
        FileNameSanitizer.Sanitize(value).Should().Be(expected);

    [Fact]
    public void Render_SegmentNameWithRightToLeftOverride_GivesAVisibleName()
    {
        var template = FileNameTemplate.Parse("%DESTINATION_NAME%_%SEGMENT_ID%_%SEGMENT_NAME%");

        var name = template.Render(new FileNameContext
        {
            DestinationName = "drop",
            DestinationId = "drop",
            SegmentId = "seg",
            SegmentName = "invoice\u202Efdp.exe",
            Time = new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.Zero),
        });

        name.Should().Be("drop_seg_invoice_fdp.exe");
    }

    [Fact]
    public void ManifestFileName_LongDestinationId_KeepsTheWholeRunId()
    {
        const string RunId = "0195f0c2a1b27c3d8e9f00112233aabb";

        var first = ManifestWriter.GetFileName(new string('d', 300), RunId);
        var second = ManifestWriter.GetFileName(new string('d', 300), RunId.Replace('a', 'b'));

        first.Should().EndWith($"-{RunId}.json").And.StartWith("manifest-ddd");
        first.Length.Should().BeLessThanOrEqualTo(FileNameSanitizer.MaxLength);
        second.Should().NotBe(first, "two runs never share a manifest name");
    }
}
