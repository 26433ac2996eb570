using System.Buffers;
using System.IO.Compression;
using System.Text;

namespace Exports.Sdk.Tests.Writing.Compression;

/// <summary>The fast encoder's output, read back by zlib's decoder, is the input, for every kind of data and size.</summary>
public class FastDeflaterTests
{
    private static readonly string[] AllKinds = ["csv", "random", "zeros", "two letters", "mixed", "json"];

    public static TheoryData<string> Kinds => [.. AllKinds];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Compress_AnySize_InflatesToTheInput(string kind)
    {
        var random = new Random(kind.Length);
        var deflater = new FastDeflater();
        // Around every boundary: the 8-byte probe, the 258-byte match, 32K window, 64K stored and symbol blocks.
        int[] sizes = [0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 257, 258, 259, 1000, 32767, 32768, 32769, 65535, 65536, 65537, 200_000, 1 << 20];
        foreach (var size in sizes)
        {
            var input = Data(kind, size, random);
            var output = new byte[16];
            var length = deflater.Compress(input, ref output, 0, ArrayPool<byte>.Shared);

            Inflate(output.AsSpan(0, length).ToArray()).Should().Equal(input, "{0} data of {1} bytes", kind, size);
        }
    }

    [Fact]
    public void Compress_RandomInputs_InflateToTheInput()
    {
        var random = new Random(11);
        var deflater = new FastDeflater();
        for (var i = 0; i < 300; i++)
        {
            var kind = AllKinds[random.Next(AllKinds.Length)];
            var input = Data(kind, random.Next(100_000), random);
            // Any offset into a small array from the pool: the encoder moves to bigger ones as it goes.
            var output = ArrayPool<byte>.Shared.Rent(random.Next(1, 64));
            var offset = random.Next(output.Length);
            var end = deflater.Compress(input, ref output, offset, ArrayPool<byte>.Shared);

            Inflate(output.AsSpan(offset, end - offset).ToArray()).Should().Equal(input, "{0} data of {1} bytes", kind, input.Length);
            ArrayPool<byte>.Shared.Return(output);
        }
    }

    [Fact]
    public void Compress_Text_IsSmallerThanZlibFastest_AndRandomBytesBarelyGrow()
    {
        var random = new Random(3);
        var csv = Data("csv", 1 << 20, random);
        var noise = Data("random", 1 << 20, random);
        var deflater = new FastDeflater();
        var output = new byte[16];

        var csvLength = deflater.Compress(csv, ref output, 0, ArrayPool<byte>.Shared);
        using var zlib = new MemoryStream();
        using (var deflate = new DeflateStream(zlib, CompressionLevel.Fastest, leaveOpen: true))
        {
            deflate.Write(csv);
        }

        csvLength.Should().BeLessThan((int)zlib.Length, "codes fitted to each block beat zlib's fixed codes on text");
        deflater.Compress(noise, ref output, 0, ArrayPool<byte>.Shared).Should().BeLessThan(noise.Length + (noise.Length / 1000), "stored blocks cap the growth");
    }

    private static byte[] Data(string kind, int size, Random random)
    {
        switch (kind)
        {
            case "csv":
            {
                var text = new StringBuilder();
                string[] names = ["Leo", "Mia", "Noah", "Emma", "Garcia", "Smith", "Müller"];
                while (text.Length < size)
                {
                    text.Append(Guid.NewGuid()).Append(',').Append(names[random.Next(names.Length)]).Append('.').Append(random.Next(100))
                        .Append("@example.com,").Append(names[random.Next(names.Length)]).Append(",US,19").Append(random.Next(50, 99))
                        .Append('-').Append(random.Next(10, 12)).Append("-0").Append(random.Next(1, 9)).Append(',').Append(random.Next(100_000))
                        .Append(',').Append(random.Next(100_000)).Append('.').Append(random.Next(10, 99)).Append(",realized\n");
                }

                return Encoding.UTF8.GetBytes(text.ToString())[..size];
            }

            case "json":
            {
                var text = new StringBuilder();
                while (text.Length < size)
                {
                    text.Append("{\"profileId\":\"").Append(Guid.NewGuid()).Append("\",\"person\":{\"points\":").Append(random.Next(1000)).Append("}}\n");
                }

                return Encoding.UTF8.GetBytes(text.ToString())[..size];
            }

            case "random":
            {
                var bytes = new byte[size];
                random.NextBytes(bytes);
                return bytes;
            }

            case "zeros":
                return new byte[size];
            case "two letters":
                return [.. Enumerable.Range(0, size).Select(_ => (byte)('a' + random.Next(2)))];
            default:
                // Stretches of noise and of short repeats, so block choices (stored or coded) change within one input.
                return [.. Enumerable.Range(0, size).Select(i => (byte)(i / 5000 % 2 == 0 ? random.Next(256) : i % 7))];
        }
    }

    private static byte[] Inflate(byte[] deflated)
    {
        using var input = new DeflateStream(new MemoryStream(deflated), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }
}
