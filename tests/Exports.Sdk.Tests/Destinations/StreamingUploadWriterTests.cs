namespace Exports.Sdk.Tests.Destinations;

/// <summary>The streaming-upload base: the client reads what is written; commit publishes, dispose without commit aborts.</summary>
public sealed class StreamingUploadWriterTests
{
    [Fact]
    public async Task Commit_AfterWrites_UploadsEveryByteThenPublishes()
    {
        var writer = new MemoryUploadWriter();
        await using (writer)
        {
            await writer.Stream.WriteAsync(new byte[3 << 20]);
            await writer.Stream.WriteAsync("end"u8.ToArray());
            writer.Published.Should().BeFalse();
            await writer.CommitAsync();
        }

        writer.Published.Should().BeTrue();
        writer.Uploaded.Length.Should().Be((3 << 20) + 3);
        writer.Aborted.Should().BeFalse();
        writer.Released.Should().BeTrue();
    }

    [Fact]
    public async Task Dispose_WithoutCommit_StopsTheUploadAndAborts()
    {
        var writer = new MemoryUploadWriter();
        await writer.Stream.WriteAsync(new byte[100]);
        for (var i = 0; i < 200 && writer.Uploaded.Length < 100; i++)
        {
            await Task.Delay(10);
        }

        writer.Uploaded.Length.Should().Be(100, "the upload is reading");
        await writer.DisposeAsync();

        writer.Published.Should().BeFalse();
        writer.Aborted.Should().BeTrue();
        writer.Released.Should().BeTrue();
        writer.UploadSawFailure.Should().BeTrue("the upload's reads fail, so the client stops");
    }

    [Fact]
    public async Task Write_UploadStoppedEarly_ThrowsNamingTheDestinationAndTheFile()
    {
        var writer = new MemoryUploadWriter { StopAfterBytes = 10 };
        await using (writer)
        {
            var write = async () =>
            {
                for (var i = 0; i < 64; i++)
                {
                    await writer.Stream.WriteAsync(new byte[1 << 16]);
                }
            };

            var error = (await write.Should().ThrowAsync<DestinationException>()).Which;
            error.Message.Should().Contain("Destination 'mem'").And.Contain("'out/file.bin'").And.Contain("stopped early");
            error.IsTransient.Should().BeTrue();
        }

        writer.Aborted.Should().BeTrue();
    }

    private sealed class MemoryUploadWriter : StreamingUploadWriter
    {
        private readonly MemoryStream _target = new();
        private readonly Lock _lock = new();

        public MemoryUploadWriter()
            : base("mem", "out/file.bin") => Start();

        public long? StopAfterBytes { get; init; }

        public byte[] Uploaded
        {
            get
            {
                lock (_lock)
                {
                    return _target.ToArray();
                }
            }
        }

        public bool Published { get; private set; }

        public bool Aborted { get; private set; }

        public bool Released { get; private set; }

        public bool UploadSawFailure { get; private set; }

        protected override async Task UploadAsync(Stream input, CancellationToken cancellationToken)
        {
            var buffer = new byte[8192];
            try
            {
                int read;
                while ((read = await input.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    lock (_lock)
                    {
                        _target.Write(buffer, 0, read);
                    }

                    if (_target.Length >= StopAfterBytes)
                    {
                        return;
                    }
                }
            }
            catch (OperationCanceledException)
            {
                UploadSawFailure = true;
                throw;
            }
        }

        protected override ValueTask PublishAsync(CancellationToken cancellationToken)
        {
            Published = true;
            return ValueTask.CompletedTask;
        }

        protected override ValueTask AbortAsync()
        {
            Aborted = true;
            return ValueTask.CompletedTask;
        }

        protected override ValueTask ReleaseAsync()
        {
            Released = true;
            return ValueTask.CompletedTask;
        }
    }
}
