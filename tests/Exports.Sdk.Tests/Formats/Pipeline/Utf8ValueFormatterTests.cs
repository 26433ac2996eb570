using System.Globalization;
using System.Text;

namespace Exports.Sdk.Tests.Formats.Pipeline;

/// <summary>The fixed-width fast paths write exactly what .NET's own formatting writes, for random and edge values.</summary>
public class Utf8ValueFormatterTests
{
    private static readonly long[] EdgeTicks =
    [
        0, 1, TimeSpan.TicksPerDay - 1, DateTime.MaxValue.Ticks, DateTime.MaxValue.Ticks - TimeSpan.TicksPerMillisecond,
        new DateTime(2000, 2, 29, 23, 59, 59, 999, DateTimeKind.Utc).Ticks + 9_999,
        new DateTime(1900, 2, 28, 0, 0, 0, DateTimeKind.Utc).Ticks, new DateTime(1900, 3, 1, 0, 0, 0, DateTimeKind.Utc).Ticks,
        new DateTime(2100, 12, 31, 12, 0, 0, DateTimeKind.Utc).Ticks, new DateTime(1600, 3, 1, 0, 0, 0, DateTimeKind.Utc).Ticks - 1,
    ];

    [Fact]
    public void WriteIsoTimestamps_RandomAndEdgeTicks_MatchDotNetFormats()
    {
        var random = new Random(42);
        var ticks = EdgeTicks.Concat(Enumerable.Range(0, 200_000).Select(_ => random.NextInt64(DateTime.MaxValue.Ticks + 1)));
        Span<byte> buffer = stackalloc byte[32];
        foreach (var t in ticks)
        {
            var time = new DateTime(t, DateTimeKind.Utc);

            Utf8ValueFormatter.WriteIsoTimestampMillis(buffer, t);
            var millis = Encoding.ASCII.GetString(buffer[..Utf8ValueFormatter.IsoTimestampMillisLength]);
            Utf8ValueFormatter.WriteIsoTimestampTicks(buffer, t);
            var full = Encoding.ASCII.GetString(buffer[..Utf8ValueFormatter.IsoTimestampTicksLength]);

            millis.Should().Be(time.ToString(CsvFormatOptions.IsoTimestampFormat, CultureInfo.InvariantCulture), "ticks {0}", t);
            full.Should().Be(time.ToString("O", CultureInfo.InvariantCulture), "ticks {0}", t);
        }
    }

    [Fact]
    public void WriteIsoDate_EveryDay_MatchesDotNetFormat()
    {
        Span<byte> buffer = stackalloc byte[16];
        for (var day = DateOnly.MinValue.DayNumber; day <= DateOnly.MaxValue.DayNumber; day++)
        {
            var date = DateOnly.FromDayNumber(day);
            Utf8ValueFormatter.WriteIsoDate(buffer, date);

            var text = Encoding.ASCII.GetString(buffer[..Utf8ValueFormatter.IsoDateLength]);
            if (text != date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))
            {
                text.Should().Be(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), "day number {0}", day);
            }
        }
    }

    [Fact]
    public void TryWriteDecimal_RandomAndEdgeValues_MatchesToString()
    {
        var random = new Random(7);
        var values = new List<decimal>
        {
            0m, 0.00m, decimal.Negate(0.00m), 1m, -1m, 0.05m, -0.05m, 1.50m, 12345.6789m, -0.000001m, 0.0000000000000000000000000001m,
            ulong.MaxValue, -(decimal)ulong.MaxValue, new decimal(-1, -1, 0, false, 28), new decimal(-1, -1, 0, true, 19),
        };
        for (var i = 0; i < 200_000; i++)
        {
            var high = random.Next(4) == 0 ? random.Next() : 0;
            values.Add(new decimal(random.Next(), random.Next(3) == 0 ? 0 : random.Next(), high, random.Next(2) == 0, (byte)random.Next(29)));
        }

        Span<byte> buffer = stackalloc byte[64];
        var fastPaths = 0;
        foreach (var value in values)
        {
            if (!Utf8ValueFormatter.TryWriteDecimal(buffer, value, out var written))
            {
                decimal.GetBits(value)[2].Should().NotBe(0, "only mantissas over 64 bits leave the fast path ({0})", value);
                continue;
            }

            fastPaths++;
            var text = Encoding.ASCII.GetString(buffer[..written]);
            if (text != value.ToString(CultureInfo.InvariantCulture))
            {
                text.Should().Be(value.ToString(CultureInfo.InvariantCulture));
            }
        }

        fastPaths.Should().BeGreaterThan(140_000);
    }
}
