using System.Text;

namespace Exports.Sdk.Tests.Formats.Pipeline;

/// <summary>
/// The pipeline writes every row once and in order whoever formats it (the caller, the writer, helpers above two
/// cores), and a failure on the writer's side reaches the caller instead of being lost or hanging it.
/// </summary>
public class RowFormattingPipelineTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public async Task WriteAsync_MixedBatchSizes_WritesEveryRowOnceInOrder(int parallelism)
    {
        var written = new MemoryStream();
        var expected = new StringBuilder("header\n");
        await using (var pipeline = new RowFormattingPipeline<RowNumberFormatter>(parallelism, () => new RowNumberFormatter(), (bytes, _) =>
        {
            written.Write(bytes.Span);
            return ValueTask.CompletedTask;
        }))
        {
            pipeline.Next.WriteHeader();
            var random = new Random(parallelism);
            var next = 0;
            // Small batches (kept and added to), one-step batches and batches of several steps, past the ring many times.
            for (var batch = 0; batch < 120; batch++)
            {
                var size = random.Next(4) switch { 0 => random.Next(1, 600), 1 => random.Next(1_024, 8_192), 2 => 8_192, _ => random.Next(8_193, 30_000) };
                var rows = Enumerable.Range(next, size).ToArray();
                foreach (var row in rows)
                {
                    expected.Append(row.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
                }

                next += size;
                await pipeline.WriteAsync([], rows, default);
            }

            await pipeline.DrainAsync(default);
            pipeline.BufferedBytes.Should().Be(0);
        }

        Encoding.ASCII.GetString(written.ToArray()).Should().Be(expected.ToString());
    }

    [Fact]
    public async Task WriteAsync_WriteFails_TheCallerGetsTheErrorAndNothingAfterItIsWritten()
    {
        var writes = 0;
        var written = new MemoryStream();
        var pipeline = new RowFormattingPipeline<RowNumberFormatter>(2, () => new RowNumberFormatter(), (bytes, _) =>
        {
            if (++writes == 5)
            {
                throw new IOException("destination 'out' refused chunk 5");
            }

            written.Write(bytes.Span);
            return ValueTask.CompletedTask;
        });

        var act = async () =>
        {
            for (var batch = 0; batch < 100; batch++)
            {
                await pipeline.WriteAsync([], Enumerable.Range(batch * 8_192, 8_192).ToArray(), default);
            }

            await pipeline.DrainAsync(default);
        };

        (await act.Should().ThrowAsync<IOException>()).WithMessage("destination 'out' refused chunk 5");
        await pipeline.DisposeAsync();
        writes.Should().Be(5);
        // The four chunks before it, whole and in order.
        var text = Encoding.ASCII.GetString(written.ToArray());
        text.Should().Be(string.Concat(Enumerable.Range(0, 4 * 1_024).Select(i => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{i}\n"))));
    }

    [Fact]
    public async Task DrainAsync_Cancelled_ThrowsAndDisposeStillEnds()
    {
        using var release = new SemaphoreSlim(0);
        var pipeline = new RowFormattingPipeline<RowNumberFormatter>(2, () => new RowNumberFormatter(), async (_, _) => await release.WaitAsync(CancellationToken.None));
        using var cancel = new CancellationTokenSource();
        await pipeline.WriteAsync([], Enumerable.Range(0, 8_192).ToArray(), default);

        var drain = pipeline.DrainAsync(cancel.Token).AsTask();
        await cancel.CancelAsync();

        var act = () => drain;
        await act.Should().ThrowAsync<OperationCanceledException>();
        release.Release(100);
        await pipeline.DisposeAsync();
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public async Task WriteAsync_RowsReusedByTheSourceOnceItReturns_WritesTheRowsAsTheyWereWhenCalled(int parallelism)
    {
        // Sources reuse their batch: whatever the pipeline still needs must be formatted before WriteAsync returns.
        var written = new MemoryStream();
        var rows = new int[8_192];
        await using (var pipeline = NewPipeline(parallelism, written))
        {
            for (var batch = 0; batch < 40; batch++)
            {
                for (var i = 0; i < rows.Length; i++)
                {
                    rows[i] = (batch * rows.Length) + i;
                }

                await pipeline.WriteAsync([], rows, default);
                Array.Fill(rows, -1);
            }

            await pipeline.DrainAsync(default);
        }

        Encoding.ASCII.GetString(written.ToArray()).Should().Be(Lines(0, 40 * 8_192));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public async Task DrainAsync_AfterEveryStep_NeverWaitsForever(int parallelism)
    {
        // A wake-up lost between the two threads would leave a drain waiting; the timeout turns that into a failure.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var written = new MemoryStream();
        await using (var pipeline = NewPipeline(parallelism, written))
        {
            for (var step = 0; step < 1_000; step++)
            {
                await pipeline.WriteAsync([], Enumerable.Range(step * 1_024, 1_024).ToArray(), timeout.Token);
                await pipeline.DrainAsync(timeout.Token);
            }
        }

        Encoding.ASCII.GetString(written.ToArray()).Should().Be(Lines(0, 1_000 * 1_024));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public async Task DisposeAsync_Twice_EndsQuietly(int parallelism)
    {
        var written = new MemoryStream();
        var pipeline = NewPipeline(parallelism, written);
        await pipeline.WriteAsync([], Enumerable.Range(0, 20_000).ToArray(), default);
        await pipeline.DrainAsync(default);

        await pipeline.DisposeAsync();
        var again = async () => await pipeline.DisposeAsync();

        await again.Should().NotThrowAsync();
        Encoding.ASCII.GetString(written.ToArray()).Should().Be(Lines(0, 20_000));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public async Task WriteAsync_FormattingFailsOnAnyThread_TheStepThrowsItAndNothingAfterItIsWritten(int parallelism)
    {
        var written = new MemoryStream();
        await using var pipeline = new RowFormattingPipeline<RowNumberFormatter>(parallelism, () => new RowNumberFormatter(failAt: 50_000), (bytes, _) =>
        {
            written.Write(bytes.Span);
            return ValueTask.CompletedTask;
        });

        var act = async () =>
        {
            for (var batch = 0; batch < 20; batch++)
            {
                await pipeline.WriteAsync([], Enumerable.Range(batch * 8_192, 8_192).ToArray(), default);
            }
        };

        (await act.Should().ThrowAsync<FormatException>()).WithMessage("row 50000 cannot be formatted");
        var text = Encoding.ASCII.GetString(written.ToArray());
        // Whole chunks before the failing one at most, in order.
        Lines(0, 50_000).Should().StartWith(text);
    }

    private static RowFormattingPipeline<RowNumberFormatter> NewPipeline(int parallelism, MemoryStream written) =>
        new(parallelism, () => new RowNumberFormatter(), (bytes, _) =>
        {
            written.Write(bytes.Span);
            return ValueTask.CompletedTask;
        });

    private static string Lines(int from, int count) =>
        string.Concat(Enumerable.Range(from, count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n"));

    /// <summary>Writes each row's number on a line of its own; a header line on request.</summary>
    private sealed class RowNumberFormatter(int failAt = -1) : IRowFormatter
    {
        private readonly MemoryStream _buffer = new();

        public ReadOnlyMemory<byte> Formatted => _buffer.GetBuffer().AsMemory(0, (int)_buffer.Length);

        public void WriteHeader() => _buffer.Write("header\n"u8);

        public void FormatAll(ColumnVector[] vectors, ReadOnlySpan<int> rows)
        {
            Span<byte> digits = stackalloc byte[16];
            foreach (var row in rows)
            {
                if (row == failAt)
                {
                    throw new FormatException($"row {row} cannot be formatted");
                }

                row.TryFormat(digits, out var length, provider: System.Globalization.CultureInfo.InvariantCulture);
                _buffer.Write(digits[..length]);
                _buffer.WriteByte((byte)'\n');
            }
        }

        public void Reset() => _buffer.SetLength(0);

        public void Dispose() => _buffer.Dispose();
    }
}
