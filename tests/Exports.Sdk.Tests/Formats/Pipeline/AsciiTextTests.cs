using System.Text;

namespace Exports.Sdk.Tests.Formats.Pipeline;

/// <summary>The vectorised ASCII copy gives the bytes and the "special byte seen" answer of a plain loop, at every length.</summary>
public class AsciiTextTests
{
    private static readonly char[] Alphabet = ['a', 'Z', '0', ' ', ',', ';', '|', ':', '\t', '"', '\\', '\n', '\r', '\u0001', '\u007f', 'é', '東', '\u0080', '\ud83d'];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void TryCopy_RandomText_MatchesAPlainLoop(int seed)
    {
        var random = new Random(seed);
        var csv = new CsvSpecialBytes([(byte)';', (byte)'\r', (byte)'\n', (byte)'"', (byte)'\\']);
        var destination = new byte[200];
        for (var i = 0; i < 50_000; i++)
        {
            var length = random.Next(70);
            // Mostly plain text, sometimes one odd character at a random place.
            var chars = Enumerable.Range(0, length).Select(_ => (char)('a' + random.Next(26))).ToArray();
            if (length > 0 && random.Next(3) > 0)
            {
                chars[random.Next(length)] = Alphabet[random.Next(Alphabet.Length)];
            }

            var text = new string(chars);
            var ascii = text.All(c => c <= 0x7F);

            AsciiText.TryCopy(csv, text, destination, out var csvSpecial).Should().Be(ascii, "text \"{0}\"", text);
            if (ascii)
            {
                destination.AsSpan(0, length).ToArray().Should().Equal(Encoding.ASCII.GetBytes(text));
                csvSpecial.Should().Be(text.Any(c => c is ';' or '\r' or '\n' or '"' or '\\'), "text \"{0}\"", text);
            }

            AsciiText.TryCopy(default(JsonSpecialBytes), text, destination, out var jsonSpecial).Should().Be(ascii);
            if (ascii)
            {
                jsonSpecial.Should().Be(text.Any(c => c < 0x20 || c is '"' or '\\'), "text \"{0}\"", text);
            }
        }
    }
}
