using System.Globalization;
using CsvHelper;
using Exports.Sdk.Tests.Fixtures;

namespace Exports.Sdk.Tests.Formats.Csv;

/// <summary>
/// Escape characters other than the quote. Without quoting, files are read back by CsvHelper's <see cref="CsvMode.Escape"/>
/// mode. CsvHelper 34 reads an escape character only in that unquoted mode, so quoted files with a backslash escape
/// (MySQL's <c>ENCLOSED BY '"' ESCAPED BY '\'</c>, Spark's <c>escape</c>) are read by <see cref="EscapedCsvReader"/>.
/// </summary>
public sealed class CsvEscapeTests : IDisposable
{
    private static readonly string?[] Values =
    [
        "plain",
        "say \"hi\"",
        "back\\slash",
        "both \\\" here",
        "\\",
        "\"",
        "comma, semicolon; pipe| colon: tab\t",
        "line\nbreak and\r\nwindows",
        " spaces ",
        "é 中文 🎉",
        "",
    ];

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData(',', false)]
    [InlineData(';', true)]
    [InlineData('|', false)]
    [InlineData('\t', true)]
    public async Task Export_QuoteWithBackslashEscape_CsvHelperReadsInput(char delimiter, bool quoteAll)
    {
        var result = await ExportAsync(d =>
        {
            d.Output.Format.Csv.Delimiter = delimiter;
            d.Output.Format.Csv.Escape = '\\';
            d.Output.Format.Csv.QuoteAll = quoteAll;
        });

        result.Status.Should().Be(ExportRunStatus.Succeeded, string.Join("; ", result.Errors));
        var text = File.ReadAllText(Path.Combine(_folder.Root, "dest_seg.csv"));
        text.Should().Contain("\"say \\\"hi\\\"\"", "quotes inside values are escaped with the escape character, not doubled");

        var records = EscapedCsvReader.Read(text, delimiter, quote: '"', escape: '\\');

        records.Should().BeEquivalentTo(Expected(), o => o.WithStrictOrdering());
    }

    [Theory]
    [InlineData(',')]
    [InlineData(';')]
    [InlineData(':')]
    [InlineData('\t')]
    public async Task Export_NoQuoteWithEscape_CsvHelperEscapeModeReadsInput(char delimiter)
    {
        var result = await ExportAsync(d =>
        {
            d.Output.Format.Csv.Delimiter = delimiter;
            d.Output.Format.Csv.Quote = null;
            d.Output.Format.Csv.Escape = '\\';
            d.Output.Format.Csv.EmptyValue = "";
        });

        result.Status.Should().Be(ExportRunStatus.Succeeded, string.Join("; ", result.Errors));
        var text = File.ReadAllText(Path.Combine(_folder.Root, "dest_seg.csv"));
        text.Should().Contain("2,say \"hi\"".Replace(',', delimiter), "without quoting, quotes are plain text");

        using var reader = CsvReader.FromText(text, new CsvReaderOptions
        {
            Separator = delimiter,
            Mode = CsvMode.Escape,
            Escape = '\\',
            HasHeader = false,
        });
        var records = new List<string[]>();
        while (reader.Read())
        {
            records.Add(reader.Current.ToArray());
        }

        records.Should().BeEquivalentTo(Expected(), o => o.WithStrictOrdering());
    }

    [Theory]
    [InlineData("a,b", ',')]
    [InlineData("a;b", ';')]
    [InlineData("a\tb", '\t')]
    [InlineData("line\nbreak", ',')]
    [InlineData("carriage\rreturn", '|')]
    public async Task WriteAsync_NoQuoteNoEscapeValueNeedsQuoting_ThrowsExportExceptionNamingColumnAndValue(string value, char delimiter)
    {
        var format = new CsvFormat();
        var options = new FileFormatOptions { Csv = { Quote = null, Delimiter = delimiter } };
        format.Validate(options).Should().BeEmpty();
        var schema = new ExportSchema(new ExportColumn("id", ExportColumnType.Int32), new ExportColumn("person.name", ExportColumnType.String));
        var batch = new RowBatch(schema);
        var row = batch.AddRow();
        batch.SetInt32(row, 0, 1);
        batch.SetString(row, 1, value);
        using var output = new MemoryStream();
        var context = new FormatWriterContext(
            [new OutputColumn("id", ExportColumnType.Int32, 0), new OutputColumn("person.name", ExportColumnType.String, 1)],
            options,
            "Dataflow 'flow', audience 'seg'");
        await using var writer = format.CreateWriter(output, context);

        var act = async () => await writer.WriteAsync(batch, new[] { 0 });

        var error = (await act.Should().ThrowAsync<ExportException>()).Which;
        error.Message.Should().Contain("'person.name'").And.Contain(value).And.Contain("Dataflow 'flow', audience 'seg'");
    }

    [Fact]
    public async Task Export_NoQuoteNoEscapeValueWithDelimiter_RunFailsNamingColumnAndLeavesNothing()
    {
        var source = new TableSource(new ExportColumn("id", ExportColumnType.Int32), new ExportColumn("city", ExportColumnType.String))
            .Add("seg", "Segment", [[1, "Paris"], [2, "Washington, D.C."]]);

        var result = await new ExportScenario
        {
            Source = source,
            Attributes = source.AttributeNames,
            Root = _folder.Root,
            Configure = d => d.Output.Format.Csv.Quote = null,
        }.RunAsync();

        result.Status.Should().Be(ExportRunStatus.Failed);
        result.Entries[0].Error.Should().Contain("'city'").And.Contain("Washington, D.C.").And.Contain("'flow'").And.Contain("'seg'");
        _folder.ListAllFiles().Should().BeEmpty();
    }

    [Fact]
    public async Task Export_NoQuoteValueWithoutSpecials_WritesItVerbatim()
    {
        var source = new TableSource(new ExportColumn("id", ExportColumnType.Int32), new ExportColumn("text", ExportColumnType.String))
            .Add("seg", "Segment", [[1, "say \"hi\""], [2, " padded "], [3, ""], [4, null]]);

        var result = await new ExportScenario
        {
            Source = source,
            Attributes = source.AttributeNames,
            Root = _folder.Root,
            Configure = d => d.Output.Format.Csv.Quote = null,
        }.RunAsync();

        result.Status.Should().Be(ExportRunStatus.Succeeded, string.Join("; ", result.Errors));
        File.ReadAllText(Path.Combine(_folder.Root, "dest_seg.csv")).Should().Be("id,text\n1,say \"hi\"\n2, padded \n3,\n4,\n");
    }

    private static List<string[]> Expected()
    {
        var expected = new List<string[]> { new[] { "id", "text" } };
        expected.AddRange(Values.Select((v, i) => new[] { (i + 1).ToString(CultureInfo.InvariantCulture), v ?? "" }));
        return expected;
    }

    private async Task<ExportRunResult> ExportAsync(Action<DestinationDefinition> configure)
    {
        var source = new TableSource(new ExportColumn("id", ExportColumnType.Int32), new ExportColumn("text", ExportColumnType.String))
            .Add("seg", "Segment", Values.Select((v, i) => new object?[] { i + 1, v }));
        return await new ExportScenario
        {
            Source = source,
            Attributes = source.AttributeNames,
            Root = _folder.Root,
            Configure = configure,
        }.RunAsync();
    }
}
