namespace Exports.Sdk.Tests.Writing.Compression;

/// <summary>Code lengths stay within the limit, fill the code exactly (Kraft sum 1) and give frequent symbols short codes.</summary>
public class HuffmanCodeTests
{
    [Theory]
    [InlineData(15, 286)]
    [InlineData(7, 19)]
    public void BuildLengths_SkewedFrequencies_RespectsTheLimitAndCompletesTheCode(int maxLength, int symbols)
    {
        var random = new Random(maxLength);
        for (var round = 0; round < 200; round++)
        {
            var frequencies = new int[symbols];
            // Fibonacci-like weights make the unlimited Huffman tree far deeper than the limit.
            var used = random.Next(2, symbols + 1);
            long a = 1, b = 1;
            foreach (var symbol in Enumerable.Range(0, symbols).OrderBy(_ => random.Next()).Take(used))
            {
                frequencies[symbol] = round % 2 == 0 ? (int)a : random.Next(1, 1000);
                (a, b) = (b, Math.Min(a + b, 1 << 20));
            }

            var lengths = new byte[symbols];
            HuffmanCode.BuildLengths(frequencies, maxLength, lengths);

            var kraft = 0.0;
            for (var s = 0; s < symbols; s++)
            {
                (lengths[s] == 0).Should().Be(frequencies[s] == 0);
                lengths[s].Should().BeLessThanOrEqualTo((byte)maxLength);
                kraft += lengths[s] == 0 ? 0 : Math.Pow(2, -lengths[s]);
            }

            kraft.Should().BeApproximately(1.0, 1e-12);
            for (var s = 0; s < symbols; s++)
            {
                for (var t = 0; t < symbols; t++)
                {
                    if (frequencies[s] > frequencies[t] && frequencies[t] > 0)
                    {
                        lengths[s].Should().BeLessThanOrEqualTo(lengths[t]);
                    }
                }
            }
        }
    }

    [Fact]
    public void BuildCodes_GivesAPrefixFreeCode()
    {
        byte[] lengths = [3, 3, 3, 3, 3, 2, 4, 4, 0];
        var codes = new ushort[lengths.Length];
        HuffmanCode.BuildCodes(lengths, codes);

        // The RFC 1951 example (3.2.2): A-H get 010, 011, 100, 101, 110, 00, 1110, 1111; stored bit-reversed.
        ushort Reversed(int code, int length) => (ushort)Enumerable.Range(0, length).Sum(i => ((code >> i) & 1) << (length - 1 - i));
        codes[..8].Should().Equal(Reversed(0b010, 3), Reversed(0b011, 3), Reversed(0b100, 3), Reversed(0b101, 3), Reversed(0b110, 3),
            Reversed(0b00, 2), Reversed(0b1110, 4), Reversed(0b1111, 4));
    }
}
