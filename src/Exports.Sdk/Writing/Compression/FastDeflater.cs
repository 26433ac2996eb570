using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Exports.Sdk;

/// <summary>
/// A fast deflate encoder (RFC 1951) for <see cref="System.IO.Compression.CompressionLevel.Fastest"/>: greedy LZ77 with
/// one probe of a small hash table per position (16 KB, so it stays in the first-level cache; keyed by five bytes; text
/// that keeps missing is probed at growing steps), then a Huffman code fitted to every block of up to 64K matches,
/// written without branches (stored blocks where coding would not be smaller). gzip exports are bound by compression:
/// on the project's machines zlib-ng's fastest level ran ~125-140 MB/s a core and left CSV at 60 % of its size (static
/// codes); this runs ~400 MB/s and leaves it at 33.5 % (<c>gzip -1</c>: ~70 MB/s, 35.4 %). One instance per thread;
/// instances are reused. Little-endian machines only (words are read and written in that order);
/// <see cref="BlockGzipStream"/> uses zlib elsewhere.
/// </summary>
internal sealed class FastDeflater
{
    private const int HashBits = 11;
    private const int SkipShift = 4;
    private const int WindowSize = 32 * 1024;
    private const int MinMatch = 4;
    private const int MaxMatch = 258;
    private const int MaxSequencesPerBlock = 64 * 1024;
    private const int EndOfBlock = 256;
    private const int MaxStoredBlock = 65535;

    /// <summary>
    /// A sequence is the number of literals before a match (high 32 bits; the literals themselves are read from the input
    /// when the block is written) and the match: 256 plus its length (bits 0-9, an index into <see cref="_entries"/>), its
    /// distance code (10-14) and the distance's extra bits (15-27). The block's last sequence may have no match (low 32
    /// bits zero).
    /// </summary>
    private const uint NoMatch = 0;

    private static readonly byte[] LengthSymbols = CreateLengthSymbols();

    /// <summary>Per hash: the last position with it (low half) and the four bytes found there (high half), so a miss costs no load from the input.</summary>
    private readonly ulong[] _table = new ulong[1 << HashBits];
    private readonly ulong[] _sequences = new ulong[MaxSequencesPerBlock];
    private readonly int[] _literalFrequencies = new int[286];
    private readonly int[] _distanceFrequencies = new int[30];
    private readonly byte[] _literalLengths = new byte[286];
    private readonly byte[] _distanceLengths = new byte[30];
    private readonly ushort[] _literalCodes = new ushort[286];
    private readonly ushort[] _distanceCodes = new ushort[30];

    /// <summary>
    /// Per literal (0-255) and per match length (256 + 3 to 258): the code and extra bits (low 32 bits) and how many bits
    /// that is (high 32).
    /// </summary>
    private readonly ulong[] _entries = new ulong[256 + MaxMatch + 1];

    /// <summary>
    /// Per distance code: its code (bits 0-15), its length (16-23) and that length plus its
    /// extra bits (24-31).
    /// </summary>
    private readonly uint[] _distanceEntries = new uint[30];

    private byte[] _output = [];
    private int _outputLength;
    private ulong _bits;
    private int _bitCount;

    /// <summary>The extra bits of length symbols 257 to 285.</summary>
    private static ReadOnlySpan<byte> LengthExtraBits => [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];

    /// <summary>The shortest length of length symbols 257 to 285.</summary>
    private static ReadOnlySpan<ushort> LengthBase => [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];

    /// <summary>The order in which code-length code lengths are stored.</summary>
    private static ReadOnlySpan<byte> CodeLengthOrder => [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

    /// <summary>
    /// Compresses <paramref name="input"/> as one complete deflate stream written to <paramref name="output"/> from
    /// <paramref name="offset"/>; the array is replaced by a larger one from <paramref name="pool"/> when it runs short
    /// (the old one goes back to the pool).
    /// </summary>
    /// <returns>The end of the compressed data in <paramref name="output"/>.</returns>
    public int Compress(ReadOnlySpan<byte> input, ref byte[] output, int offset, ArrayPool<byte> pool)
    {
        _output = output;
        _outputLength = offset;
        _bits = 0;
        _bitCount = 0;
        try
        {
            CompressBlocks(input, pool);
            FlushBits();
            return _outputLength;
        }
        finally
        {
            output = _output;
            _output = [];
        }
    }

    private static byte[] CreateLengthSymbols()
    {
        var symbols = new byte[MaxMatch + 1];
        for (var code = 0; code < 28; code++)
        {
            for (var length = LengthBase[code]; length < LengthBase[code] + (1 << LengthExtraBits[code]) && length <= MaxMatch; length++)
            {
                symbols[length] = (byte)code;
            }
        }

        symbols[MaxMatch] = 28;
        return symbols;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Read32(ref byte data, int at) => Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref data, at));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Read64(ref byte data, int at) => Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref data, at));

    /// <summary>
    /// The table slot of the five bytes at the start of <paramref name="word"/>. Five rather than four: on CSV and JSON
    /// Lines, fewer short matches that cost more to code than they save, and ~12-18 % faster with a smaller output.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Hash(ulong word) => (int)(((word << 24) * 0xCF1BBCDCB7A56463ul) >> (64 - HashBits));

    private void CompressBlocks(ReadOnlySpan<byte> input, ArrayPool<byte> pool)
    {
        // Positions far enough back that no distance to them is valid.
        _table.AsSpan().Fill(unchecked((uint)(-WindowSize - 1)));
        var table = _table;
        ref var tableStart = ref MemoryMarshal.GetArrayDataReference(table);
        var sequences = _sequences;
        var literals = _literalFrequencies;
        var distances = _distanceFrequencies;
        ref var data = ref MemoryMarshal.GetReference(input);
        var length = input.Length;
        var blockStart = 0;
        var count = 0;
        var extraBits = 0L;
        var anchor = 0;
        var i = 0;

        // Eight bytes are read at every probed position.
        var hashEnd = length - 8;
        while (true)
        {
            // Look for a match with nothing but the probe in the loop; text that keeps missing (ids, hashes, numbers)
            // is probed at growing steps, as Snappy and LZ4 do. The bytes passed over become literals below.
            var probes = 1 << SkipShift;
            ulong entry;
            uint current;
            int candidate;
            while (true)
            {
                if (i > hashEnd)
                {
                    goto Tail;
                }

                var word = Read64(ref data, i);
                current = (uint)word;
                ref var slot = ref Unsafe.Add(ref tableStart, Hash(word));
                entry = slot;
                slot = (uint)i | ((ulong)current << 32);
                candidate = (int)(uint)entry;
                if ((uint)(i - candidate - 1) < WindowSize && (uint)(entry >> 32) == current)
                {
                    break;
                }

                i += probes++ >> SkipShift;
            }

            CountLiterals(input[anchor..i]);

            var max = Math.Min(MaxMatch, length - i);
            var matched = MinMatch;
            while (true)
            {
                if (matched + 8 <= max)
                {
                    var difference = Read64(ref data, candidate + matched) ^ Read64(ref data, i + matched);
                    if (difference != 0)
                    {
                        matched += BitOperations.TrailingZeroCount(difference) >> 3;
                        break;
                    }

                    matched += 8;
                    continue;
                }

                while (matched < max && Unsafe.Add(ref data, candidate + matched) == Unsafe.Add(ref data, i + matched))
                {
                    matched++;
                }

                break;
            }

            var lengthCode = LengthSymbols[matched];
            var d = (uint)(i - candidate - 1);
            int distanceCode, distanceExtra;
            if (d < 4)
            {
                distanceCode = (int)d;
                distanceExtra = 0;
            }
            else
            {
                var top = 31 - BitOperations.LeadingZeroCount(d);
                distanceCode = (2 * top) + (int)((d >> (top - 1)) & 1);
                distanceExtra = top - 1;
            }

            var match = (uint)(256 + matched) | ((uint)distanceCode << 10) | ((d & ((1u << distanceExtra) - 1)) << 15);
            sequences[count++] = match | ((ulong)(uint)(i - anchor) << 32);
            literals[257 + lengthCode]++;
            distances[distanceCode]++;
            extraBits += LengthExtraBits[lengthCode] + distanceExtra;
            i += matched;
            anchor = i;

            // One more position into the table, so the next repeat of this text finds a later copy.
            if (i - 1 <= hashEnd)
            {
                var word = Read64(ref data, i - 1);
                table[Hash(word)] = (uint)(i - 1) | ((ulong)(uint)word << 32);
            }

            if (count == MaxSequencesPerBlock)
            {
                count = EndBlock(input, i, count, ref blockStart, ref extraBits, pool);
            }
        }

    Tail:
        if (anchor < length)
        {
            CountLiterals(input[anchor..]);
            sequences[count++] = NoMatch | ((ulong)(uint)(length - anchor) << 32);
        }

        WriteBlock(input[blockStart..], count, extraBits, final: true, pool);
    }

    /// <summary>Counts the literals of a sequence; they are copied from the input only when the block is written.</summary>
    private void CountLiterals(ReadOnlySpan<byte> literals)
    {
        ref var frequencies = ref MemoryMarshal.GetArrayDataReference(_literalFrequencies);
        foreach (var literal in literals)
        {
            Unsafe.Add(ref frequencies, literal)++;
        }
    }

    /// <summary>Writes the full block that ends at <paramref name="end"/> and starts the next; returns the new sequence count, 0.</summary>
    private int EndBlock(ReadOnlySpan<byte> input, int end, int count, ref int blockStart, ref long extraBits, ArrayPool<byte> pool)
    {
        WriteBlock(input[blockStart..end], count, extraBits, final: false, pool);
        blockStart = end;
        extraBits = 0;
        return 0;
    }

    private void WriteBlock(ReadOnlySpan<byte> raw, int count, long extraBits, bool final, ArrayPool<byte> pool)
    {
        var literals = _literalFrequencies;
        var distances = _distanceFrequencies;
        literals[EndOfBlock] = 1;
        EnsureTwoSymbols(literals);
        EnsureTwoSymbols(distances);
        HuffmanCode.BuildLengths(literals, 15, _literalLengths);
        HuffmanCode.BuildLengths(distances, 15, _distanceLengths);

        var literalCount = 286;
        while (_literalLengths[literalCount - 1] == 0)
        {
            literalCount--;
        }

        var distanceCount = 30;
        while (_distanceLengths[distanceCount - 1] == 0)
        {
            distanceCount--;
        }

        // The two code length lists as one run-length coded sequence (symbols 16, 17 and 18 repeat).
        Span<byte> all = stackalloc byte[286 + 30];
        _literalLengths.AsSpan(0, literalCount).CopyTo(all);
        _distanceLengths.AsSpan(0, distanceCount).CopyTo(all[literalCount..]);
        all = all[..(literalCount + distanceCount)];
        Span<ushort> runs = stackalloc ushort[all.Length];
        var runCount = RunLengthEncode(all, runs);
        Span<int> codeLengthFrequencies = stackalloc int[19];
        foreach (var run in runs[..runCount])
        {
            codeLengthFrequencies[run & 0x1F]++;
        }

        EnsureTwoSymbols(codeLengthFrequencies);
        Span<byte> codeLengthLengths = stackalloc byte[19];
        Span<ushort> codeLengthCodes = stackalloc ushort[19];
        HuffmanCode.BuildLengths(codeLengthFrequencies, 7, codeLengthLengths);
        HuffmanCode.BuildCodes(codeLengthLengths, codeLengthCodes);
        var orderCount = 19;
        while (orderCount > 4 && codeLengthLengths[CodeLengthOrder[orderCount - 1]] == 0)
        {
            orderCount--;
        }

        // Choose stored blocks when the coded form would not be smaller.
        var bits = 3L + 5 + 5 + 4 + (3 * orderCount) + extraBits;
        foreach (var run in runs[..runCount])
        {
            var symbol = run & 0x1F;
            bits += codeLengthLengths[symbol] + (symbol == 16 ? 2 : symbol == 17 ? 3 : symbol == 18 ? 7 : 0);
        }

        for (var s = 0; s < literalCount; s++)
        {
            bits += (long)literals[s] * _literalLengths[s];
        }

        for (var s = 0; s < distanceCount; s++)
        {
            bits += (long)distances[s] * _distanceLengths[s];
        }

        var storedBlocks = Math.Max(1, (raw.Length + MaxStoredBlock - 1) / MaxStoredBlock);
        var storedBits = (raw.Length + (storedBlocks * 5L)) * 8 + 10;
        if (bits >= storedBits)
        {
            WriteStored(raw, final, pool);
        }
        else
        {
            EnsureRoom((int)((bits + 7) / 8) + 16, pool);
            HuffmanCode.BuildCodes(_literalLengths, _literalCodes);
            HuffmanCode.BuildCodes(_distanceLengths, _distanceCodes);
            PutBits(final ? 1u : 0u, 1);
            PutBits(2, 2);
            PutBits((uint)(literalCount - 257), 5);
            PutBits((uint)(distanceCount - 1), 5);
            PutBits((uint)(orderCount - 4), 4);
            for (var k = 0; k < orderCount; k++)
            {
                PutBits(codeLengthLengths[CodeLengthOrder[k]], 3);
            }

            foreach (var run in runs[..runCount])
            {
                var symbol = run & 0x1F;
                PutBits(codeLengthCodes[symbol], codeLengthLengths[symbol]);
                if (symbol >= 16)
                {
                    PutBits((uint)(run >> 5), symbol == 16 ? 2 : symbol == 17 ? 3 : 7);
                }
            }

            WriteSequences(raw, count);
        }

        literals.AsSpan().Clear();
        distances.AsSpan().Clear();
    }

    /// <summary>
    /// The block's sequences with the fitted codes: the hot part of writing, so state stays in locals, each symbol is one
    /// or two table loads, and the bit buffer is flushed without branches (eight bytes stored, whole bytes kept).
    /// Literals come from <paramref name="raw"/>, three to a flush.
    /// </summary>
    private void WriteSequences(ReadOnlySpan<byte> raw, int count)
    {
        for (var s = 0; s < 256; s++)
        {
            _entries[s] = _literalCodes[s] | ((ulong)_literalLengths[s] << 32);
        }

        for (var length = MinMatch - 1; length <= MaxMatch; length++)
        {
            var code = LengthSymbols[length];
            var symbol = 257 + code;
            var bitsOfCode = _literalLengths[symbol];
            var value = _literalCodes[symbol] | ((uint)(length - LengthBase[code]) << bitsOfCode);
            _entries[256 + length] = value | ((ulong)(bitsOfCode + LengthExtraBits[code]) << 32);
        }

        for (var code = 0; code < 30; code++)
        {
            var codeLength = (uint)_distanceLengths[code];
            _distanceEntries[code] = _distanceCodes[code] | (codeLength << 16) | ((codeLength + (uint)(code < 4 ? 0 : (code >> 1) - 1)) << 24);
        }

        ref var entries = ref MemoryMarshal.GetArrayDataReference(_entries);
        ref var distanceEntries = ref MemoryMarshal.GetArrayDataReference(_distanceEntries);
        ref var input = ref MemoryMarshal.GetReference(raw);
        var position = _outputLength;
        var bits = _bits;
        var bitCount = _bitCount;
        var cursor = 0;
        ref var to = ref MemoryMarshal.GetArrayDataReference(_output);

        // The header may leave up to 31 bits pending; the loops below need at most 7.
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref to, position), bits);
        position += bitCount >> 3;
        bits >>= bitCount & 56;
        bitCount &= 7;
        foreach (var sequence in _sequences.AsSpan(0, count))
        {
            // At most 7 pending bits and three literals of up to 15 bits each: one flush per three.
            var end = cursor + (int)(sequence >> 32);
            for (; cursor + 3 <= end; cursor += 3)
            {
                var first = Unsafe.Add(ref entries, Unsafe.Add(ref input, cursor));
                bits |= (first & 0xFFFF_FFFF) << bitCount;
                bitCount += (int)(first >> 32);
                var second = Unsafe.Add(ref entries, Unsafe.Add(ref input, cursor + 1));
                bits |= (second & 0xFFFF_FFFF) << bitCount;
                bitCount += (int)(second >> 32);
                var third = Unsafe.Add(ref entries, Unsafe.Add(ref input, cursor + 2));
                bits |= (third & 0xFFFF_FFFF) << bitCount;
                bitCount += (int)(third >> 32);
                Unsafe.WriteUnaligned(ref Unsafe.Add(ref to, position), bits);
                position += bitCount >> 3;
                bits >>= bitCount & 56;
                bitCount &= 7;
            }

            for (; cursor < end; cursor++)
            {
                var entry = Unsafe.Add(ref entries, Unsafe.Add(ref input, cursor));
                bits |= (entry & 0xFFFF_FFFF) << bitCount;
                bitCount += (int)(entry >> 32);
            }

            var match = (uint)sequence;
            if (match != NoMatch)
            {
                // Up to 7 + 2 × 15 pending from the literals above, 15 + 5 for the length, 15 + 13 for the distance.
                Unsafe.WriteUnaligned(ref Unsafe.Add(ref to, position), bits);
                position += bitCount >> 3;
                bits >>= bitCount & 56;
                bitCount &= 7;
                var entry = Unsafe.Add(ref entries, (int)(match & 0x3FF));
                bits |= (entry & 0xFFFF_FFFF) << bitCount;
                bitCount += (int)(entry >> 32);
                var distance = Unsafe.Add(ref distanceEntries, (int)((match >> 10) & 0x1F));
                bits |= (ulong)((distance & 0xFFFF) | ((match >> 15) << (int)((distance >> 16) & 0xFF))) << bitCount;
                bitCount += (int)(distance >> 24);
                cursor += (int)(match & 0x3FF) - 256;
            }

            Unsafe.WriteUnaligned(ref Unsafe.Add(ref to, position), bits);
            position += bitCount >> 3;
            bits >>= bitCount & 56;
            bitCount &= 7;
        }

        _outputLength = position;
        _bits = bits;
        _bitCount = bitCount;
        PutBits(_literalCodes[EndOfBlock], _literalLengths[EndOfBlock]);
    }

    private void WriteStored(ReadOnlySpan<byte> raw, bool final, ArrayPool<byte> pool)
    {
        EnsureRoom(raw.Length + (5 * ((raw.Length / MaxStoredBlock) + 1)) + 16, pool);
        do
        {
            var take = Math.Min(raw.Length, MaxStoredBlock);
            var last = final && take == raw.Length;
            PutBits(last ? 1u : 0u, 1);
            PutBits(0, 2);
            FlushBits();
            BinaryPrimitives.WriteUInt16LittleEndian(_output.AsSpan(_outputLength), (ushort)take);
            BinaryPrimitives.WriteUInt16LittleEndian(_output.AsSpan(_outputLength + 2), (ushort)~take);
            _outputLength += 4;
            raw[..take].CopyTo(_output.AsSpan(_outputLength));
            _outputLength += take;
            raw = raw[take..];
        }
        while (!raw.IsEmpty);
    }

    /// <summary>Run-length codes a list of code lengths: each entry is a symbol (low 5 bits) and its repeat count's extra bits.</summary>
    private static int RunLengthEncode(ReadOnlySpan<byte> lengths, Span<ushort> runs)
    {
        var count = 0;
        for (var i = 0; i < lengths.Length;)
        {
            var value = lengths[i];
            var run = 1;
            while (i + run < lengths.Length && lengths[i + run] == value)
            {
                run++;
            }

            i += run;
            if (value == 0)
            {
                for (; run >= 11; run -= Math.Min(run, 138))
                {
                    runs[count++] = (ushort)(18 | ((Math.Min(run, 138) - 11) << 5));
                }

                if (run >= 3)
                {
                    runs[count++] = (ushort)(17 | ((run - 3) << 5));
                    run = 0;
                }
            }
            else
            {
                runs[count++] = value;
                run--;
                for (; run >= 3; run -= Math.Min(run, 6))
                {
                    runs[count++] = (ushort)(16 | ((Math.Min(run, 6) - 3) << 5));
                }
            }

            for (; run > 0; run--)
            {
                runs[count++] = value;
            }
        }

        return count;
    }

    /// <summary>A Huffman code needs two symbols to be complete; unused ones cost nothing in the block.</summary>
    private static void EnsureTwoSymbols(Span<int> frequencies)
    {
        var used = 0;
        foreach (var frequency in frequencies)
        {
            used += frequency > 0 ? 1 : 0;
        }

        for (var s = 0; used < 2; s++)
        {
            if (frequencies[s] == 0)
            {
                frequencies[s] = 1;
                used++;
            }
        }
    }

    private void PutBits(uint value, int count)
    {
        _bits |= (ulong)value << _bitCount;
        _bitCount += count;
        if (_bitCount >= 32)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(_output.AsSpan(_outputLength), (uint)_bits);
            _outputLength += 4;
            _bits >>= 32;
            _bitCount -= 32;
        }
    }

    /// <summary>Writes the pending bits, the last byte padded with zeros.</summary>
    private void FlushBits()
    {
        while (_bitCount > 0)
        {
            _output[_outputLength++] = (byte)_bits;
            _bits >>= 8;
            _bitCount = Math.Max(0, _bitCount - 8);
        }

        _bits = 0;
    }

    private void EnsureRoom(int bytes, ArrayPool<byte> pool)
    {
        if (_output.Length - _outputLength >= bytes)
        {
            return;
        }

        var bigger = pool.Rent(Math.Max(_output.Length * 2, _outputLength + bytes));
        _output.AsSpan(0, _outputLength).CopyTo(bigger);
        pool.Return(_output);
        _output = bigger;
    }
}
