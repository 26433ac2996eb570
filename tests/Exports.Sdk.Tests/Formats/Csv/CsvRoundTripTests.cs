using System.Globalization;
using System.Text;
using Exports.Sdk.Tests.Fixtures;

namespace Exports.Sdk.Tests.Formats.Csv;

/// <summary>
/// Every CSV option combination, exported to a local folder and read back by the in-box
/// <see cref="Microsoft.VisualBasic.FileIO.TextFieldParser"/>.
/// </summary>
public sealed class CsvRoundTripTests : IDisposable
{
    /// <summary>Values that need quoting or careful encoding; null is a real null.</summary>
    public static readonly string?[] HardValues =
    [
        "plain",
        "comma,inside",
        "semi;colon",
        "pipe|bar",
        "colon:here",
        "tab\there",
        "every ,;|:\t delimiter",
        "say \"hi\"",
        "\"",
        "\"\"",
        "\"starts with a quote",
        "ends with a quote\"",
        "line\nbreak",
        "carriage\rreturn",
        "windows\r\nbreak",
        "\n",
        "\r\n",
        "trailing newline\n",
        " leading space",
        "trailing space ",
        "  both  ",
        " ",
        "\ttabbed\t",
        "Amélie Müller, Ñandú ÆØÅ",
        "中文字符 日本語テキスト 한국어",
        "emoji 🎉👍🏽 family 👨‍👩‍👧",
        "all of it: 😀,\"x\"\r\n é ;|",
        "back\\slash",
        "NUL\u0000and bell\u0007",
        "",
        null,
    ];

    private readonly TempFolder _folder = new();

    public enum NullMode
    {
        /// <summary>Defaults: null is nothing, empty is <c>""</c> (both read back as empty by TextFieldParser).</summary>
        Defaults,

        /// <summary>NullValue = <c>NULL</c>: null and empty differ once read back.</summary>
        NullText,
    }

    public enum TextEncoding
    {
        Utf8,
        Utf8WithBom,
        Utf16,
        Utf16WithoutBom,
    }

    public static TheoryData<char, bool, bool, TextEncoding, string, NullMode> Combinations()
    {
        var data = new TheoryData<char, bool, bool, TextEncoding, string, NullMode>();
        foreach (var delimiter in new[] { ',', ';', '|', ':', '\t' })
        {
            foreach (var quoteAll in new[] { false, true })
            {
                foreach (var header in new[] { true, false })
                {
                    foreach (var encoding in Enum.GetValues<TextEncoding>())
                    {
                        foreach (var newLine in new[] { "\n", "\r\n" })
                        {
                            foreach (var nulls in Enum.GetValues<NullMode>())
                            {
                                data.Add(delimiter, quoteAll, header, encoding, newLine, nulls);
                            }
                        }
                    }
                }
            }
        }

        return data;
    }

    public void Dispose() => _folder.Dispose();

    [Theory]
    [MemberData(nameof(Combinations))]
    public async Task Export_HardValuesWithOptions_TextFieldParserReadsInput(
        char delimiter, bool quoteAll, bool header, TextEncoding encoding, string newLine, NullMode nulls)
    {
        var source = new TableSource(
            new ExportColumn("id", ExportColumnType.Int32),
            new ExportColumn("text", ExportColumnType.String),
            new ExportColumn("person.name", ExportColumnType.String))
            .Add("seg", "Segment", HardValues.Select((v, i) => new object?[] { i, v, HardValues[HardValues.Length - 1 - i] }));

        var result = await new ExportScenario
        {
            Source = source,
            Attributes = source.AttributeNames,
            Root = _folder.Root,
            Configure = d =>
            {
                var csv = d.Output.Format.Csv;
                csv.Delimiter = delimiter;
                csv.QuoteAll = quoteAll;
                csv.Header = header;
                csv.Encoding = encoding is TextEncoding.Utf16 or TextEncoding.Utf16WithoutBom ? CsvEncoding.Utf16 : CsvEncoding.Utf8;
                csv.ByteOrderMark = encoding switch
                {
                    TextEncoding.Utf8WithBom => true,
                    TextEncoding.Utf16WithoutBom => false,
                    _ => null,
                };
                csv.NewLine = newLine;
                if (nulls == NullMode.NullText)
                {
                    csv.NullValue = "NULL";
                }
            },
        }.RunAsync();

        result.Status.Should().Be(ExportRunStatus.Succeeded, string.Join("; ", result.Errors));
        var bytes = _folder.ReadBytes("dest_seg.csv");

        byte[] bom = encoding switch
        {
            TextEncoding.Utf8WithBom => [0xEF, 0xBB, 0xBF],
            TextEncoding.Utf16 => [0xFF, 0xFE],
            _ => [],
        };
        if (bom.Length == 0)
        {
            bytes.Take(3).Should().NotEqual(new byte[] { 0xEF, 0xBB, 0xBF }, "no UTF-8 byte-order mark is expected");
            bytes.Take(2).Should().NotEqual(new byte[] { 0xFF, 0xFE }, "no UTF-16 byte-order mark is expected");
        }
        else
        {
            bytes.Take(bom.Length).Should().Equal(bom);
        }

        var textEncoding = encoding is TextEncoding.Utf16 or TextEncoding.Utf16WithoutBom
            ? new UnicodeEncoding(bigEndian: false, byteOrderMark: false)
            : (Encoding)new UTF8Encoding(false);
        var text = textEncoding.GetString(bytes, bom.Length, bytes.Length - bom.Length);
        text.Should().EndWith(newLine);
        if (newLine == "\n")
        {
            text.Should().NotEndWith("\r\n", "records end in a bare LF");
        }

        var records = FileContent.ParseCsv(bytes, delimiter, textEncoding);
        var expected = new List<string[]>();
        if (header)
        {
            expected.Add(["id", "text", "person.name"]);
        }

        string Expect(string? value) => value ?? (nulls == NullMode.NullText ? "NULL" : "");
        for (var i = 0; i < HardValues.Length; i++)
        {
            expected.Add([i.ToString(CultureInfo.InvariantCulture), Expect(HardValues[i]), Expect(HardValues[HardValues.Length - 1 - i])]);
        }

        records.Should().BeEquivalentTo(expected, o => o.WithStrictOrdering());
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    public async Task Export_NewLineOption_EveryRecordEndsWithIt(string newLine)
    {
        var source = new TableSource(new ExportColumn("id", ExportColumnType.Int32), new ExportColumn("text", ExportColumnType.String))
            .Add("seg", "Segment", [[1, "a"], [2, "b,c"], [3, null], [4, ""]]);

        await new ExportScenario
        {
            Source = source,
            Attributes = source.AttributeNames,
            Root = _folder.Root,
            Configure = d => d.Output.Format.Csv.NewLine = newLine,
        }.RunAsync();

        var text = Encoding.UTF8.GetString(_folder.ReadBytes("dest_seg.csv"));
        text.Should().Be(string.Join(newLine, "id,text", "1,a", "2,\"b,c\"", "3,", "4,\"\"") + newLine);
    }

    [Fact]
    public async Task Export_Defaults_NullIsNothingAndEmptyIsTwoQuotes()
    {
        var source = new TableSource(new ExportColumn("a", ExportColumnType.String), new ExportColumn("b", ExportColumnType.String))
            .Add("seg", "Segment", [[null, ""], ["", null], ["x", "y"]]);

        await new ExportScenario { Source = source, Attributes = source.AttributeNames, Root = _folder.Root }.RunAsync();

        var bytes = _folder.ReadBytes("dest_seg.csv");
        bytes.Take(3).Should().NotEqual(new byte[] { 0xEF, 0xBB, 0xBF }, "UTF-8 files have no BOM by default");
        Encoding.UTF8.GetString(bytes).Should().Be("a,b\n,\"\"\n\"\",\nx,y\n");
    }

    [Fact]
    public async Task Export_CustomNullAndEmptyValues_AreWrittenAndReadBack()
    {
        var source = new TableSource(new ExportColumn("a", ExportColumnType.String), new ExportColumn("b", ExportColumnType.Int32))
            .Add("seg", "Segment", [[null, null], ["", 1], ["x", 2]]);

        await new ExportScenario
        {
            Source = source,
            Attributes = source.AttributeNames,
            Root = _folder.Root,
            Configure = d =>
            {
                d.Output.Format.Csv.NullValue = "\\N";
                d.Output.Format.Csv.EmptyValue = "<empty>";
            },
        }.RunAsync();

        FileContent.ParseCsvFile(Path.Combine(_folder.Root, "dest_seg.csv")).Should().BeEquivalentTo(
            new[] { new[] { "a", "b" }, ["\\N", "\\N"], ["<empty>", "1"], ["x", "2"] },
            o => o.WithStrictOrdering());
    }

    [Fact]
    public async Task Export_QuoteAll_QuotesEveryNonNullValueOfEveryType()
    {
        var source = new TableSource(
            new ExportColumn("s", ExportColumnType.String),
            new ExportColumn("i", ExportColumnType.Int32),
            new ExportColumn("l", ExportColumnType.Int64),
            new ExportColumn("d", ExportColumnType.Double),
            new ExportColumn("m", ExportColumnType.Decimal),
            new ExportColumn("b", ExportColumnType.Boolean),
            new ExportColumn("date", ExportColumnType.Date),
            new ExportColumn("ts", ExportColumnType.Timestamp),
            new ExportColumn("g", ExportColumnType.Guid),
            new ExportColumn("n", ExportColumnType.String))
            .Add("seg", "Segment",
            [
                ["x", 1, 2L, 1.5, 2.25m, true, new DateOnly(2024, 2, 29), new DateTimeOffset(2024, 2, 29, 1, 2, 3, TimeSpan.Zero),
                    Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"), null],
            ]);

        await new ExportScenario
        {
            Source = source,
            Attributes = source.AttributeNames,
            Root = _folder.Root,
            Configure = d =>
            {
                d.Output.Format.Csv.QuoteAll = true;
                d.Output.Format.Csv.Quote = '\'';
            },
        }.RunAsync();

        File.ReadAllLines(Path.Combine(_folder.Root, "dest_seg.csv")).Should().Equal(
            "'s','i','l','d','m','b','date','ts','g','n'",
            "'x','1','2','1.5','2.25','true','2024-02-29','2024-02-29T01:02:03.000Z','0f8fad5b-d9cb-469f-a165-70867728950e',");
    }

    [Fact]
    public async Task Export_NotQuoteAll_QuotesOnlyValuesThatNeedIt()
    {
        var source = new TableSource(new ExportColumn("a", ExportColumnType.String), new ExportColumn("b", ExportColumnType.String))
            .Add("seg", "Segment", [["plain", "needs;quote"], ["needs,quote", " space"], ["é", "say \"x\""]]);

        await new ExportScenario
        {
            Source = source,
            Attributes = source.AttributeNames,
            Root = _folder.Root,
            Configure = d => d.Output.Format.Csv.Delimiter = ';',
        }.RunAsync();

        File.ReadAllLines(Path.Combine(_folder.Root, "dest_seg.csv")).Should().Equal(
            "a;b", "plain;\"needs;quote\"", "needs,quote;\" space\"", "é;\"say \"\"x\"\"\"");
    }
}
