using System.Text;

namespace Exports.Sdk.Formats.Parquet.Tests;

public class Utf8TextTests
{
    [Fact]
    public void Compare_RandomText_OrdersAsTheUtf8BytesDo()
    {
        // Units from every range whose UTF-16 and UTF-8 orders could disagree: ASCII, two and three bytes, below and
        // above the surrogates, and surrogate pairs.
        string[] pieces = ["a", "z", "é", "\u07FF", "\u0800", "日", "\uD7FF", "\uE000", "\uFFFD", "😀", "\U00010000", "\U0010FFFF"];
        var random = new Random(42);
        string Text() => string.Concat(Enumerable.Range(0, random.Next(4)).Select(_ => pieces[random.Next(pieces.Length)]));
        var disagreements = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var (a, b) = (Text(), Text());
            var expected = Math.Sign(Encoding.UTF8.GetBytes(a).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(b)));

            Math.Sign(Utf8Text.Compare(a, b)).Should().Be(expected, "\"{0}\" against \"{1}\"", a, b);
            disagreements += Math.Sign(string.CompareOrdinal(a, b)) != expected ? 1 : 0;
        }

        // The inputs do reach the cases where UTF-16 order is wrong.
        disagreements.Should().BeGreaterThan(100);
    }
}
