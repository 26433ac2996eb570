namespace Exports.Sdk.Tests.Destinations;

public class DestinationSettingsReaderTests
{
    private static DestinationSettingsReader Reader(params (string Key, string? Value)[] settings)
    {
        var definition = new DestinationDefinition { Name = "d" };
        foreach (var (key, value) in settings)
        {
            definition.Settings[key] = value;
        }

        return new DestinationSettingsReader(definition);
    }

    [Theory]
    [InlineData("8388608", 8L << 20)]
    [InlineData("8MiB", 8L << 20)]
    [InlineData("8 MB", 8L << 20)]
    [InlineData("512KiB", 512L << 10)]
    [InlineData("1g", 1L << 30)]
    public void GetSize_AcceptsBytesAndUnits(string text, long expected)
    {
        var reader = Reader(("partSize", text));

        reader.GetSize("PARTSIZE", 1, 1, long.MaxValue).Should().Be(expected);
        reader.Problems.Should().BeEmpty();
    }

    [Theory]
    [InlineData("00:00:30", 30_000)]
    [InlineData("30s", 30_000)]
    [InlineData("250ms", 250)]
    [InlineData("2m", 120_000)]
    [InlineData("1.5h", 5_400_000)]
    public void GetTimeSpan_AcceptsClockAndUnits(string text, double milliseconds)
    {
        Reader(("t", text)).GetTimeSpan("t", TimeSpan.Zero, TimeSpan.Zero, TimeSpan.FromDays(1)).TotalMilliseconds.Should().Be(milliseconds);
    }

    [Fact]
    public void Problems_AreGathered_AndNameDestinationAndSetting()
    {
        var reader = Reader(("port", "99999"), ("flag", "maybe"), ("size", "1MiB"), ("typo", "x"));

        reader.GetRequiredString("host", "the host");
        reader.GetInt32("port", 22, 1, 65535);
        reader.GetBoolean("flag", false);
        reader.GetSize("size", 8L << 20, 5L << 20, 1L << 30);
        reader.RejectUnknown([new("host", ""), new("port", ""), new("flag", ""), new("size", "")]);

        reader.Problems.Should().HaveCount(5).And.OnlyContain(p => p.StartsWith("Destination 'd': setting '", StringComparison.Ordinal));
        reader.Problems.Should().Contain(p => p.Contains("'typo' is not known", StringComparison.Ordinal));
    }

    [Fact]
    public void Reads_KeysCaseInsensitively_EvenFromAReplacedDictionary()
    {
        var definition = new DestinationDefinition { Name = "d", Settings = new Dictionary<string, string?> { ["BUCKET"] = " b " } };

        new DestinationSettingsReader(definition).GetString("bucket").Should().Be("b");
    }
}
