using System.Globalization;
using Exports.Sdk.Tests.Fixtures;

namespace Exports.Sdk.Tests.Formats.Csv;

/// <summary>How typed values are written: ISO defaults, custom date and timestamp formats, invariant numbers.</summary>
public sealed class CsvValueFormattingTests : IDisposable
{
    private static readonly ExportColumn[] Columns =
    [
        new("i", ExportColumnType.Int32),
        new("l", ExportColumnType.Int64),
        new("d", ExportColumnType.Double),
        new("m", ExportColumnType.Decimal),
        new("b", ExportColumnType.Boolean),
        new("date", ExportColumnType.Date),
        new("ts", ExportColumnType.Timestamp),
        new("g", ExportColumnType.Guid),
    ];

    private static readonly object?[][] Rows =
    [
        [-5, 9_007_199_254_740_993L, 1.5, 12345.6789m, true, new DateOnly(2024, 2, 29),
            new DateTimeOffset(2024, 2, 29, 23, 59, 58, 123, TimeSpan.FromHours(2)).AddTicks(4567), Guid.Parse("0F8FAD5B-D9CB-469F-A165-70867728950E")],
        [int.MinValue, long.MaxValue, -0.1, -0.000001m, false, new DateOnly(1, 1, 1),
            new DateTimeOffset(1, 1, 1, 0, 0, 0, TimeSpan.Zero), Guid.Empty],
        [int.MaxValue, long.MinValue, 1e300, 79228162514264337593543950335m, true, new DateOnly(9999, 12, 31),
            new DateTimeOffset(9999, 12, 31, 23, 59, 59, 999, TimeSpan.Zero), Guid.Parse("ffffffff-ffff-ffff-ffff-ffffffffffff")],
        [0, 0L, 1.0 / 3, 0m, false, new DateOnly(2000, 1, 2), new DateTimeOffset(2000, 1, 2, 3, 4, 5, TimeSpan.FromHours(-5)), Guid.Parse("00000000-0000-0000-0000-000000000001")],
        [null, null, null, null, null, null, null, null],
    ];

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Export_DefaultFormats_WritesIsoInvariantValues()
    {
        var records = await ExportAsync(configure: null, ',');

        records[0].Should().Equal("i", "l", "d", "m", "b", "date", "ts", "g");
        records[1].Should().Equal("-5", "9007199254740993", "1.5", "12345.6789", "true", "2024-02-29", "2024-02-29T21:59:58.123Z", "0f8fad5b-d9cb-469f-a165-70867728950e");
        records[2].Should().Equal("-2147483648", "9223372036854775807", "-0.1", "-0.000001", "false", "0001-01-01", "0001-01-01T00:00:00.000Z", "00000000-0000-0000-0000-000000000000");
        records[3].Should().Equal("2147483647", "-9223372036854775808", "1E+300", "79228162514264337593543950335", "true", "9999-12-31", "9999-12-31T23:59:59.999Z", "ffffffff-ffff-ffff-ffff-ffffffffffff");
        records[4][5..7].Should().Equal("2000-01-02", "2000-01-02T08:04:05.000Z");
        records[5].Should().OnlyContain(v => v.Length == 0);
    }

    [Fact]
    public async Task Export_Doubles_ParseBackToTheSameValue()
    {
        double[] values = [0.1, 1.0 / 3, Math.PI, double.MaxValue, double.Epsilon, -1e-320, 123456789.123456789, 5e-324];
        var source = new TableSource(new ExportColumn("id", ExportColumnType.Int32), new ExportColumn("d", ExportColumnType.Double))
            .Add("seg", "Segment", values.Select((v, i) => new object?[] { i, v }));

        await new ExportScenario { Source = source, Attributes = source.AttributeNames, Root = _folder.Root }.RunAsync();

        FileContent.ParseCsvFile(Path.Combine(_folder.Root, "dest_seg.csv")).Skip(1)
            .Select(r => double.Parse(r[1], NumberStyles.Float, CultureInfo.InvariantCulture))
            .Should().Equal(values);
    }

    [Theory]
    [InlineData(',', "dd/MM/yyyy", "yyyy-MM-dd HH:mm:ss", "29/02/2024", "2024-02-29 21:59:58")]
    [InlineData(':', "yyyyMMdd", "yyyy-MM-dd'T'HH:mm:ssK", "20240229", "2024-02-29T21:59:58Z")]
    [InlineData(';', "MMM d, yyyy", "HH:mm:ss.ffffff", "Feb 29, 2024", "21:59:58.123456")]
    [InlineData('|', "yyyy|MM|dd", "yyyy-MM-dd HH:mm", "2024|02|29", "2024-02-29 21:59")]
    public async Task Export_CustomDateAndTimestampFormats_AreAppliedInUtcAndQuotedWhenNeeded(
        char delimiter, string dateFormat, string timestampFormat, string expectedDate, string expectedTimestamp)
    {
        var records = await ExportAsync(
            d =>
            {
                d.Output.Format.Csv.Delimiter = delimiter;
                d.Output.Format.Csv.DateFormat = dateFormat;
                d.Output.Format.Csv.TimestampFormat = timestampFormat;
            },
            delimiter);

        records[1][5].Should().Be(expectedDate);
        records[1][6].Should().Be(expectedTimestamp);
    }

    [Fact]
    public async Task Export_CustomFormatsWithoutQuoting_DelimiterInFormattedDateFails()
    {
        var source = new TableSource(Columns).Add("seg", "Segment", Rows);
        var result = await new ExportScenario
        {
            Source = source,
            Attributes = source.AttributeNames,
            Root = _folder.Root,
            Configure = d =>
            {
                d.Output.Format.Csv.Quote = null;
                d.Output.Format.Csv.Delimiter = ':';
            },
        }.RunAsync();

        result.Status.Should().Be(ExportRunStatus.Failed, "an ISO timestamp holds ':' and cannot be written unquoted without an escape");
        result.Entries[0].Error.Should().Contain("2024-02-29T21:59:58.123Z").And.Contain("'ts'");
        _folder.ListAllFiles().Should().BeEmpty();
    }

    private async Task<List<string[]>> ExportAsync(Action<DestinationDefinition>? configure, char delimiter)
    {
        var source = new TableSource(Columns).Add("seg", "Segment", Rows);
        var result = await new ExportScenario
        {
            Source = source,
            Attributes = source.AttributeNames,
            Root = _folder.Root,
            Configure = configure,
        }.RunAsync();
        result.Status.Should().Be(ExportRunStatus.Succeeded, string.Join("; ", result.Errors));
        return FileContent.ParseCsv(_folder.ReadBytes("dest_seg.csv"), delimiter);
    }
}
