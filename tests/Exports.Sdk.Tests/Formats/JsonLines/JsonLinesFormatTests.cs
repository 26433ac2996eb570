using System.Globalization;
using System.Text;
using System.Text.Json;
using Exports.Sdk.Tests.Fixtures;

namespace Exports.Sdk.Tests.Formats.JsonLines;

/// <summary>JSON Lines files read back line by line with <see cref="JsonDocument"/>.</summary>
public sealed class JsonLinesFormatTests : IDisposable
{
    private static readonly string?[] Texts =
    [
        "plain",
        "say \"hi\"",
        "back\\slash",
        "line\nbreak\r\nand\ttab",
        "control \u0001\u001f\u007f chars",
        "</script><!-- & ' ",
        "é 中文 日本語 🎉👍🏽",
        "separators \u2028\u2029",
        "",
        null,
    ];

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Export_NestedPaths_BecomeNestedObjectsWithTypedValues()
    {
        var source = new TableSource(
            new ExportColumn("person.name.firstName", ExportColumnType.String),
            new ExportColumn("person.name.lastName", ExportColumnType.String),
            new ExportColumn("person.email", ExportColumnType.String),
            new ExportColumn("id", ExportColumnType.Int32),
            new ExportColumn("loyalty.points", ExportColumnType.Int64),
            new ExportColumn("loyalty.ratio", ExportColumnType.Double),
            new ExportColumn("loyalty.value", ExportColumnType.Decimal),
            new ExportColumn("flags.vip", ExportColumnType.Boolean),
            new ExportColumn("person.birthDate", ExportColumnType.Date),
            new ExportColumn("person.lastSeen", ExportColumnType.Timestamp),
            new ExportColumn("profile.id", ExportColumnType.Guid))
            .Add("seg", "Segment",
            [
                ["Amélie", "O\"Brien", "a@example.com", 1, 9_007_199_254_740_993L, 0.1, 12345.6789m, true, new DateOnly(2024, 2, 29),
                    new DateTimeOffset(2024, 2, 29, 23, 59, 58, 123, TimeSpan.FromHours(2)), Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e")],
                [null, "", null, 2, null, null, null, false, null, null, null],
            ]);

        var result = await Export(source, d => d.Output.Format.Name = "jsonl").RunAsync();

        result.Status.Should().Be(ExportRunStatus.Succeeded, string.Join("; ", result.Errors));
        var lines = FileContent.Lines(Path.Combine(_folder.Root, "dest_seg.jsonl"));
        lines.Should().HaveCount(2);

        using (var first = JsonDocument.Parse(lines[0]))
        {
            var root = first.RootElement;
            root.EnumerateObject().Select(p => p.Name).Should().Equal("person", "id", "loyalty", "flags", "profile");
            var person = root.GetProperty("person");
            person.EnumerateObject().Select(p => p.Name).Should().Equal("name", "email", "birthDate", "lastSeen");
            person.GetProperty("name").GetProperty("firstName").GetString().Should().Be("Amélie");
            person.GetProperty("name").GetProperty("lastName").GetString().Should().Be("O\"Brien");
            person.GetProperty("email").GetString().Should().Be("a@example.com");
            root.GetProperty("id").GetInt32().Should().Be(1);
            root.GetProperty("loyalty").GetProperty("points").GetInt64().Should().Be(9_007_199_254_740_993L);
            root.GetProperty("loyalty").GetProperty("ratio").GetDouble().Should().Be(0.1);
            root.GetProperty("loyalty").GetProperty("value").GetDecimal().Should().Be(12345.6789m);
            root.GetProperty("flags").GetProperty("vip").GetBoolean().Should().BeTrue();
            person.GetProperty("birthDate").GetString().Should().Be("2024-02-29");
            person.GetProperty("lastSeen").GetDateTimeOffset().Should().Be(new DateTimeOffset(2024, 2, 29, 21, 59, 58, 123, TimeSpan.Zero));
            person.GetProperty("lastSeen").GetString().Should().EndWith("Z", "timestamps are written in UTC");
            root.GetProperty("profile").GetProperty("id").GetGuid().Should().Be(Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"));
        }

        using (var second = JsonDocument.Parse(lines[1]))
        {
            var root = second.RootElement;
            root.GetProperty("person").GetProperty("name").GetProperty("firstName").ValueKind.Should().Be(JsonValueKind.Null);
            root.GetProperty("person").GetProperty("name").GetProperty("lastName").GetString().Should().Be("");
            root.GetProperty("loyalty").GetProperty("points").ValueKind.Should().Be(JsonValueKind.Null);
            root.GetProperty("flags").GetProperty("vip").GetBoolean().Should().BeFalse();
            root.GetProperty("profile").GetProperty("id").ValueKind.Should().Be(JsonValueKind.Null);
        }
    }

    [Theory]
    [InlineData(false, "")]
    [InlineData(true, "")]
    [InlineData(false, "\"")]
    [InlineData(true, "\"")]
    public async Task Export_ValueLongerThanTheBuffer_MidRow_EveryFieldReadsBack(bool textAsUtf8, string special)
    {
        // A row is written with room made once for all but its strings (128 KiB at first); a string past that grows the
        // buffer to its own size, and the values after it in the row must still find room.
        var long1 = new string('a', 1_000_000) + special;
        var long2 = special + new string('é', 300_000);
        var source = new TableSource(
            new ExportColumn("id", ExportColumnType.Int32),
            new ExportColumn("text", ExportColumnType.String),
            new ExportColumn("points", ExportColumnType.Int64),
            new ExportColumn("ratio", ExportColumnType.Double),
            new ExportColumn("value", ExportColumnType.Decimal),
            new ExportColumn("vip", ExportColumnType.Boolean),
            new ExportColumn("born", ExportColumnType.Date),
            new ExportColumn("seen", ExportColumnType.Timestamp),
            new ExportColumn("more", ExportColumnType.String),
            new ExportColumn("key", ExportColumnType.Guid))
        { TextAsUtf8 = textAsUtf8 }
            .Add("seg", "Segment", Enumerable.Range(0, 3).Select(i => new object?[]
            {
                i, i == 1 ? long1 : "short", long.MinValue + i, double.MaxValue, decimal.MinValue, true, DateOnly.MaxValue,
                new DateTimeOffset(9999, 12, 31, 23, 59, 59, TimeSpan.Zero).AddTicks(9_999_999), i == 1 ? long2 : "x", Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"),
            }));

        var result = await Export(source, d => d.Output.Format.Name = "jsonl").RunAsync();

        result.Status.Should().Be(ExportRunStatus.Succeeded, string.Join("; ", result.Errors));
        var lines = FileContent.Lines(Path.Combine(_folder.Root, "dest_seg.jsonl"));
        lines.Should().HaveCount(3);
        for (var i = 0; i < 3; i++)
        {
            using var document = JsonDocument.Parse(lines[i]);
            var root = document.RootElement;
            root.GetProperty("id").GetInt32().Should().Be(i);
            root.GetProperty("text").GetString().Should().Be(i == 1 ? long1 : "short");
            root.GetProperty("points").GetInt64().Should().Be(long.MinValue + i);
            root.GetProperty("ratio").GetDouble().Should().Be(double.MaxValue);
            root.GetProperty("value").GetDecimal().Should().Be(decimal.MinValue);
            root.GetProperty("vip").GetBoolean().Should().BeTrue();
            root.GetProperty("born").GetString().Should().Be("9999-12-31");
            root.GetProperty("seen").GetString().Should().Be("9999-12-31T23:59:59.9999999Z");
            root.GetProperty("more").GetString().Should().Be(i == 1 ? long2 : "x");
            root.GetProperty("key").GetGuid().Should().Be(Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"));
        }
    }

    [Fact]
    public async Task Export_Utf8ValueThatFillsTheGrownBuffer_MidRow_LeavesRoomForTheRestOfTheRow()
    {
        // Text set as UTF-8 bytes too long for the row's room grows the buffer (a pooled array, a power of two) to exactly
        // its own end when it ends a mebibyte in: the values after it must make room again.
        var first = "{\"id\":0,\"text\":null,\"points\":null,\"seen\":null,\"key\":null}\n";
        var length = (1 << 20) - Encoding.UTF8.GetByteCount(first) - "{\"id\":1,\"text\":".Length - 2;
        var text = new string('a', length);
        var key = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");
        var seen = new DateTimeOffset(2026, 12, 6, 13, 30, 0, TimeSpan.Zero);
        var source = new TableSource(
            new ExportColumn("id", ExportColumnType.Int32),
            new ExportColumn("text", ExportColumnType.String),
            new ExportColumn("points", ExportColumnType.Int64),
            new ExportColumn("seen", ExportColumnType.Timestamp),
            new ExportColumn("key", ExportColumnType.Guid))
        { TextAsUtf8 = true }
            .Add("seg", "Segment", [[0, null, null, null, null], [1, text, long.MinValue, seen, key]]);

        var result = await Export(source, d => d.Output.Format.Name = "jsonl").RunAsync();

        result.Status.Should().Be(ExportRunStatus.Succeeded, string.Join("; ", result.Errors));
        var lines = FileContent.Lines(Path.Combine(_folder.Root, "dest_seg.jsonl"));
        (lines[0] + "\n").Should().Be(first);
        using var document = JsonDocument.Parse(lines[1]);
        document.RootElement.GetProperty("text").GetString().Should().Be(text);
        document.RootElement.GetProperty("points").GetInt64().Should().Be(long.MinValue);
        document.RootElement.GetProperty("seen").GetDateTimeOffset().Should().Be(seen);
        document.RootElement.GetProperty("key").GetGuid().Should().Be(key);
    }

    [Theory]
    [InlineData(ExportCompression.None)]
    [InlineData(ExportCompression.Gzip)]
    public async Task Export_HardStrings_AreEscapedAndReadBackExactly(ExportCompression compression)
    {
        var source = new TableSource(new ExportColumn("id", ExportColumnType.Int32), new ExportColumn("a.text", ExportColumnType.String))
            .Add("seg", "Segment", Texts.Select((t, i) => new object?[] { i, t }));

        var result = await Export(source, d =>
        {
            d.Output.Format.Name = "jsonl";
            d.Output.Format.Compression = compression;
        }).RunAsync();

        result.Status.Should().Be(ExportRunStatus.Succeeded, string.Join("; ", result.Errors));
        var name = compression == ExportCompression.Gzip ? "dest_seg.jsonl.gz" : "dest_seg.jsonl";
        var text = Encoding.UTF8.GetString(FileContent.Decompressed(Path.Combine(_folder.Root, name)));
        text.Count(c => c == '\n').Should().Be(Texts.Length, "each record is exactly one line");
        text.Should().NotContain("\r");

        var lines = FileContent.Lines(Path.Combine(_folder.Root, name));
        for (var i = 0; i < Texts.Length; i++)
        {
            using var document = JsonDocument.Parse(lines[i]);
            document.RootElement.GetProperty("id").GetInt32().Should().Be(i);
            var value = document.RootElement.GetProperty("a").GetProperty("text");
            if (Texts[i] is null)
            {
                value.ValueKind.Should().Be(JsonValueKind.Null);
            }
            else
            {
                value.GetString().Should().Be(Texts[i], "line {0} is {1}", i, lines[i]);
            }
        }
    }

    [Fact]
    public async Task Export_KeysNeedingEscapes_AreEscaped()
    {
        var source = new TableSource(new ExportColumn("we\"ird.ké\\y", ExportColumnType.String))
            .Add("seg", "Segment", [["v"]]);

        var result = await Export(source, d => d.Output.Format.Name = "jsonl").RunAsync();

        result.Status.Should().Be(ExportRunStatus.Succeeded, string.Join("; ", result.Errors));
        using var document = JsonDocument.Parse(FileContent.Lines(Path.Combine(_folder.Root, "dest_seg.jsonl"))[0]);
        document.RootElement.GetProperty("we\"ird").GetProperty("ké\\y").GetString().Should().Be("v");
    }

    [Fact]
    public async Task Export_NonFiniteDoubles_AreWrittenAsStrings()
    {
        var source = new TableSource(new ExportColumn("d", ExportColumnType.Double))
            .Add("seg", "Segment", [[double.NaN], [double.PositiveInfinity], [-1.5]]);

        var result = await Export(source, d => d.Output.Format.Name = "jsonl").RunAsync();

        result.Status.Should().Be(ExportRunStatus.Succeeded, string.Join("; ", result.Errors));
        var values = FileContent.Lines(Path.Combine(_folder.Root, "dest_seg.jsonl"))
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("d"))
            .ToList();
        double.Parse(values[0].GetString()!, CultureInfo.InvariantCulture).Should().Be(double.NaN);
        double.Parse(values[1].GetString()!, CultureInfo.InvariantCulture).Should().Be(double.PositiveInfinity);
        values[2].GetDouble().Should().Be(-1.5);
    }

    [Fact]
    public async Task Export_PathIsBothValueAndObject_FailsNamingColumn()
    {
        var source = new TableSource(new ExportColumn("person", ExportColumnType.String), new ExportColumn("person.name", ExportColumnType.String))
            .Add("seg", "Segment", [["a", "b"]]);

        var result = await Export(source, d => d.Output.Format.Name = "jsonl").RunAsync();

        result.Status.Should().Be(ExportRunStatus.Failed);
        result.Entries[0].Error.Should().Contain("person.name").And.Contain("'flow'").And.Contain("'seg'");
        _folder.ListAllFiles().Should().BeEmpty();
    }

    [Fact]
    public async Task Export_ManyRowsAcrossBatchesAndParts_EveryLineParses()
    {
        var source = new TableSource(new ExportColumn("id", ExportColumnType.Int32), new ExportColumn("p.q", ExportColumnType.String)) { BatchSize = 64 }
            .AddGenerated("seg", "Segment", 5000, i => [(int)i, $"row \"{i}\"\n"]);

        var result = await Export(source, d =>
        {
            d.Output.Format.Name = "jsonl";
            d.Output.MaxRowsPerFile = 2000;
        }).RunAsync();

        result.Status.Should().Be(ExportRunStatus.Succeeded, string.Join("; ", result.Errors));
        var ids = new[] { "dest_seg.jsonl", "dest_seg_2.jsonl", "dest_seg_3.jsonl" }
            .SelectMany(f => FileContent.Lines(Path.Combine(_folder.Root, f)))
            .Select(l =>
            {
                using var d = JsonDocument.Parse(l);
                var id = d.RootElement.GetProperty("id").GetInt32();
                d.RootElement.GetProperty("p").GetProperty("q").GetString().Should().Be($"row \"{id}\"\n");
                return id;
            });
        ids.Should().Equal(Enumerable.Range(0, 5000));
    }

    private ExportScenario Export(TableSource source, Action<DestinationDefinition> configure) => new()
    {
        Source = source,
        Attributes = source.AttributeNames,
        Root = _folder.Root,
        Configure = configure,
    };
}
