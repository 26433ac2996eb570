namespace Exports.Sdk.Tests.Destinations;

/// <summary>The part-writer base: parts go out while the next fills, in order; a failed part aborts the upload.</summary>
public sealed class BufferedPartWriterTests
{
    [Fact]
    public async Task Write_SeveralParts_SendsFullPartsBeforeCommitAndTheRestAtCommit()
    {
        var writer = new RecordingWriter(partSize: 4);
        await using (writer)
        {
            await writer.Stream.WriteAsync("abcdefghij"u8.ToArray());
            await WaitUntilAsync(() => writer.BytesUploaded == 8);

            writer.Parts.Keys.Order().Should().Equal(1, 2);
            writer.Completed.Should().BeNull("nothing is published before the commit");
            await writer.CommitAsync();
        }

        writer.Parts.OrderBy(p => p.Key).Select(p => (p.Key, p.Value)).Should().Equal((1, "abcd"), (2, "efgh"));
        writer.Completed.Should().Be((3, "ij"));
        writer.BytesUploaded.Should().Be(10);
        writer.Aborts.Should().Be(0);
    }

    [Fact]
    public async Task Dispose_PartFailedWithAnyException_DoesNotThrowAndAbortsOnce()
    {
        var writer = new RecordingWriter(partSize: 4) { FailPart = 2 };

        var write = async () =>
        {
            await writer.Stream.WriteAsync(new byte[4 * 4]);
            await writer.CommitAsync();
        };

        (await write.Should().ThrowAsync<IOException>()).Which.Message.Should().Contain("part 2 refused");
        await writer.DisposeAsync();
        await writer.DisposeAsync();
        writer.Aborts.Should().Be(1);
        writer.Completed.Should().BeNull();
        var again = () => writer.Stream.WriteAsync(new byte[1]).AsTask();
        await again.Should().ThrowAsync<ObjectDisposedException>();
    }

    [Fact]
    public async Task RequestPipeline_TransientPartFailure_IsRetriedAndTheFileCompletes()
    {
        var requests = new DestinationRequests("mem", "memory", TimeProvider.System, maxRetryAttempts: 2, retryDelay: TimeSpan.FromMilliseconds(1));
        var writer = new RecordingWriter(partSize: 4, requests) { FailOnce = 2 };
        await using (writer)
        {
            await writer.Stream.WriteAsync("abcdefghij"u8.ToArray());
            await writer.CommitAsync();
        }

        writer.Attempts[2].Should().Be(2, "part 2 failed once with an IOException and was sent again");
        writer.Parts.OrderBy(p => p.Key).Select(p => p.Value).Should().Equal("abcd", "efgh");
        writer.Completed.Should().Be((3, "ij"));
        writer.Aborts.Should().Be(0);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        condition().Should().BeTrue();
    }

    private sealed class RecordingWriter(int partSize, DestinationRequestPipeline<string>? requests = null) : BufferedPartWriter("file.bin", partSize, requests)
    {
        public System.Collections.Concurrent.ConcurrentDictionary<int, int> Attempts { get; } = new();

        public int? FailOnce { get; init; }

        public System.Collections.Concurrent.ConcurrentDictionary<int, string> Parts { get; } = new();

        public (int Number, string Last)? Completed { get; private set; }

        public int Aborts { get; private set; }

        public int? FailPart { get; init; }

        protected override ValueTask UploadPartAsync(int partNumber, ReadOnlyMemory<byte> part, CancellationToken cancellationToken)
        {
            if (Attempts.AddOrUpdate(partNumber, 1, (_, n) => n + 1) == 1 && partNumber == FailOnce)
            {
                throw new IOException($"part {partNumber} dropped");
            }

            if (partNumber == FailPart)
            {
                throw new IOException($"part {partNumber} refused");
            }

            Parts[partNumber] = System.Text.Encoding.ASCII.GetString(part.Span);
            return ValueTask.CompletedTask;
        }

        protected override ValueTask CompleteAsync(int partNumber, ReadOnlyMemory<byte> lastPart, CancellationToken cancellationToken)
        {
            Completed = (partNumber, System.Text.Encoding.ASCII.GetString(lastPart.Span));
            return ValueTask.CompletedTask;
        }

        protected override ValueTask AbortAsync(int partsSent)
        {
            Aborts++;
            return ValueTask.CompletedTask;
        }
    }
}
