namespace Exports.Sdk;

/// <summary>
/// Length-limited canonical Huffman codes for deflate (RFC 1951, 3.2.2): code lengths from symbol frequencies, then the
/// codes themselves, bit-reversed because deflate packs Huffman codes from their most significant bit into a stream
/// that is otherwise filled from the least significant bit.
/// </summary>
internal static class HuffmanCode
{
    /// <summary>
    /// Writes the code length of every symbol (0 for a symbol of frequency 0) so that frequent symbols get short codes
    /// and no code is longer than <paramref name="maxLength"/>. At least two frequencies must be above 0, so that the
    /// code is complete.
    /// </summary>
    /// <param name="frequencies">How often each symbol occurs (at most 286 symbols).</param>
    /// <param name="maxLength">The longest code allowed (15 for literals, lengths and distances, 7 for code lengths).</param>
    /// <param name="lengths">Receives a code length for each symbol.</param>
    public static void BuildLengths(ReadOnlySpan<int> frequencies, int maxLength, Span<byte> lengths)
    {
        lengths[..frequencies.Length].Clear();
        Span<long> sorted = stackalloc long[frequencies.Length];
        var count = 0;
        for (var symbol = 0; symbol < frequencies.Length; symbol++)
        {
            if (frequencies[symbol] > 0)
            {
                sorted[count++] = ((long)frequencies[symbol] << 16) | (uint)symbol;
            }
        }

        if (count < 2)
        {
            throw new ArgumentException("A Huffman code needs at least two symbols.", nameof(frequencies));
        }

        sorted = sorted[..count];
        sorted.Sort();

        // Huffman's merge with two queues: the leaves in frequency order, and the inner nodes, which are made in order.
        var nodes = (2 * count) - 1;
        Span<long> weight = stackalloc long[nodes];
        Span<int> parent = stackalloc int[nodes];
        for (var i = 0; i < count; i++)
        {
            weight[i] = sorted[i] >> 16;
        }

        int nextLeaf = 0, nextInner = count;
        for (var made = count; made < nodes; made++)
        {
            var sum = 0L;
            for (var take = 0; take < 2; take++)
            {
                var node = nextLeaf < count && (nextInner >= made || weight[nextLeaf] <= weight[nextInner]) ? nextLeaf++ : nextInner++;
                parent[node] = made;
                sum += weight[node];
            }

            weight[made] = sum;
        }

        // Depths from the root (the last node) down, in place of the weights; a parent always comes after its children.
        Span<int> depthCount = stackalloc int[33];
        weight[nodes - 1] = 0;
        for (var node = nodes - 2; node >= 0; node--)
        {
            weight[node] = weight[parent[node]] + 1;
            if (node < count)
            {
                depthCount[(int)Math.Min(weight[node], 32)]++;
            }
        }

        LimitLengths(depthCount, maxLength);

        // The most frequent symbols (at the end of the sorted list) take the shortest lengths.
        var index = count - 1;
        for (var length = 1; length <= maxLength; length++)
        {
            for (var k = 0; k < depthCount[length]; k++)
            {
                lengths[(int)(sorted[index--] & 0xFFFF)] = (byte)length;
            }
        }
    }

    /// <summary>Writes each symbol's canonical code, bit-reversed for a least-significant-bit-first writer.</summary>
    /// <param name="lengths">The code lengths (at most 15).</param>
    /// <param name="codes">Receives the codes.</param>
    public static void BuildCodes(ReadOnlySpan<byte> lengths, Span<ushort> codes)
    {
        Span<int> lengthCount = stackalloc int[16];
        foreach (var length in lengths)
        {
            lengthCount[length]++;
        }

        lengthCount[0] = 0;
        Span<int> next = stackalloc int[16];
        var code = 0;
        for (var length = 1; length < 16; length++)
        {
            code = (code + lengthCount[length - 1]) << 1;
            next[length] = code;
        }

        for (var symbol = 0; symbol < lengths.Length; symbol++)
        {
            var length = lengths[symbol];
            codes[symbol] = length == 0 ? (ushort)0 : Reverse(next[length]++, length);
        }
    }

    /// <summary>
    /// Moves leaves deeper than the limit up to it; then, while the code is over-full, takes one leaf at the limit away
    /// and splits a shallower leaf into two one level down: each step lowers the Kraft sum by one unit and keeps the
    /// number of leaves.
    /// </summary>
    private static void LimitLengths(Span<int> depthCount, int maxLength)
    {
        var overflow = false;
        for (var depth = maxLength + 1; depth < depthCount.Length; depth++)
        {
            overflow |= depthCount[depth] > 0;
            depthCount[maxLength] += depthCount[depth];
            depthCount[depth] = 0;
        }

        if (!overflow)
        {
            return;
        }

        var total = 0L;
        for (var depth = 1; depth <= maxLength; depth++)
        {
            total += (long)depthCount[depth] << (maxLength - depth);
        }

        while (total != 1L << maxLength)
        {
            depthCount[maxLength]--;
            for (var depth = maxLength - 1; depth > 0; depth--)
            {
                if (depthCount[depth] != 0)
                {
                    depthCount[depth]--;
                    depthCount[depth + 1] += 2;
                    break;
                }
            }

            total--;
        }
    }

    private static ushort Reverse(int code, int length)
    {
        var reversed = 0;
        for (var i = 0; i < length; i++)
        {
            reversed = (reversed << 1) | (code & 1);
            code >>= 1;
        }

        return (ushort)reversed;
    }
}
