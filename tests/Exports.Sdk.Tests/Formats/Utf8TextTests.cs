using System.Text;
using Exports.Sdk.Tests.Fixtures;

namespace Exports.Sdk.Tests.Formats;

/// <summary>
/// Text set as UTF-8 bytes (<see cref="RowBatch.SetUtf8String"/>, what the ADO.NET source does for a column whose values
/// do not repeat) is the same text as when set as a string: CSV and JSON Lines files are compared byte for byte in every
/// quoting and escaping mode, and the batch's readers decode it.
/// </summary>
public sealed class Utf8TextTests : IDisposable
{
    private static readonly string?[] Values =
    [
        "plain",
        "user123@example.com",
        "say \"hi\"",
        "back\\slash",
        "\\",
        "\"",
        "comma, semicolon; pipe| colon: tab\t",
        "line\nbreak and\r\nwindows",
        " spaces ",
        "é 中文 🎉",
        "",
        null,
        "control \u0001 and \u001f",
        new string('x', 5000) + "é",
    ];

    private readonly List<TempFolder> _folders = [];

    public static TheoryData<string> Modes => ["csv", "csv quote-all", "csv semicolon backslash-escape", "csv unquoted backslash-escape", "jsonl"];

    public void Dispose()
    {
        foreach (var folder in _folders)
        {
            folder.Dispose();
        }
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task TextSetAsUtf8_IsWrittenExactlyAsTheSameTextSetAsStrings(string mode)
    {
        var asStrings = await ExportAsync(mode, textAsUtf8: false);
        var asBytes = await ExportAsync(mode, textAsUtf8: true);

        asStrings.Length.Should().BeGreaterThan(5000 * 5, "every value is written, the long one included, in every row");
        asBytes.Should().Equal(asStrings);
    }

    [Fact]
    public async Task TextSetAsUtf8_ThatCannotBeWrittenUnquoted_FailsNamingTheColumnAndValue()
    {
        var folder = NewFolder();
        var source = new TableSource(new ExportColumn("id", ExportColumnType.Int32), new ExportColumn("city", ExportColumnType.String)) { TextAsUtf8 = true }
            .Add("seg", "Segment", [[1, "Paris"], [2, "Washington, D.C."]]);

        var result = await new ExportScenario
        {
            Source = source,
            Attributes = source.AttributeNames,
            Root = folder.Root,
            Configure = d => d.Output.Format.Csv.Quote = null,
        }.RunAsync();

        result.Status.Should().Be(ExportRunStatus.Failed);
        result.Entries[0].Error.Should().Contain("'city'").And.Contain("Washington, D.C.");
        folder.ListAllFiles().Should().BeEmpty();
    }

    [Fact]
    public void Batch_DecodesUtf8Text_ForEveryReader_AndForgetsItOnClear()
    {
        var batch = new RowBatch(new ExportSchema([new ExportColumn("name", ExportColumnType.String), new ExportColumn("n", ExportColumnType.Int32)]), capacity: 3);

        for (var round = 0; round < 2; round++)
        {
            var row = batch.AddRow();
            batch.SetUtf8String(row, 0, Encoding.UTF8.GetBytes($"Zoë {round}"));
            row = batch.AddRow();
            batch.SetUtf8String(row, 0, []);
            row = batch.AddRow();
            batch.SetUtf8String(row, 0, "first"u8);
            batch.SetString(row, 0, "then a string");

            batch.GetString(0, 0).Should().Be($"Zoë {round}");
            batch.GetValue(0, 0).Should().Be($"Zoë {round}");
            batch.IsNull(1, 0).Should().BeFalse();
            batch.GetString(1, 0).Should().BeEmpty();
            batch.GetString(2, 0).Should().Be("then a string");
            batch.TryGetUtf8String(0, 0, out var bytes).Should().BeTrue();
            Encoding.UTF8.GetString(bytes).Should().Be($"Zoë {round}");
            batch.TryGetUtf8String(1, 0, out bytes).Should().BeTrue();
            bytes.Length.Should().Be(0);
            batch.TryGetUtf8String(2, 0, out _).Should().BeFalse("the value was set again, as a string");
            batch.SetNull(0, 0);
            batch.GetString(0, 0).Should().BeNull();
            batch.TryGetUtf8String(0, 0, out _).Should().BeFalse("the value is null");
            batch.Clear();
        }
    }

    [Fact]
    public void Batch_RefusesBytesThatAreNotUtf8_OrAColumnThatIsNotText()
    {
        var batch = new RowBatch(new ExportSchema([new ExportColumn("name", ExportColumnType.String), new ExportColumn("n", ExportColumnType.Int32)]));
        var row = batch.AddRow();

        var notUtf8 = () => batch.SetUtf8String(row, 0, [0x48, 0xE9, 0x6C]);
        var notText = () => batch.SetUtf8String(row, 1, "1"u8);

        var readNotText = () => batch.TryGetUtf8String(row, 1, out _);

        notUtf8.Should().Throw<ArgumentException>().WithMessage("*'name'*not valid UTF-8*");
        notText.Should().Throw<InvalidOperationException>().WithMessage("*'n'*Int32*");
        readNotText.Should().Throw<InvalidOperationException>().WithMessage("*'n'*Int32*");
        batch.IsNull(row, 0).Should().BeTrue("a refused value is not set");
    }

    private TempFolder NewFolder()
    {
        var folder = new TempFolder();
        _folders.Add(folder);
        return folder;
    }

    private async Task<byte[]> ExportAsync(string mode, bool textAsUtf8)
    {
        var folder = NewFolder();
        var source = new TableSource(new ExportColumn("id", ExportColumnType.Int32), new ExportColumn("text", ExportColumnType.String), new ExportColumn("more", ExportColumnType.String))
        {
            TextAsUtf8 = textAsUtf8,
            BatchSize = 7,
        }.Add("seg", "Segment", Enumerable.Range(0, 5).SelectMany(round => Values.Select((v, i) => new object?[] { (round * 100) + i, v, Values[^(i + 1)] })));

        var result = await new ExportScenario
        {
            Source = source,
            Attributes = source.AttributeNames,
            Root = folder.Root,
            Configure = d =>
            {
                var csv = d.Output.Format.Csv;
                switch (mode)
                {
                    case "jsonl": d.Output.Format.Name = "jsonl"; break;
                    case "csv quote-all": csv.QuoteAll = true; break;
                    case "csv semicolon backslash-escape": csv.Delimiter = ';'; csv.Escape = '\\'; break;
                    case "csv unquoted backslash-escape": csv.Quote = null; csv.Escape = '\\'; csv.EmptyValue = ""; break;
                }
            },
        }.RunAsync();

        result.Status.Should().Be(ExportRunStatus.Succeeded, string.Join("; ", result.Errors));
        var file = folder.ListAllFiles().Single(f => Path.GetFileName(f).StartsWith("dest_seg.", StringComparison.Ordinal));
        return folder.ReadBytes(file);
    }
}
