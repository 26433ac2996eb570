using System.Buffers;
using System.IO.Compression;

namespace Exports.Sdk;

/// <summary>
/// gzip as a series of blocks: the input is cut into blocks, each block is compressed as its own gzip member, and the
/// members are written to the inner stream in input order (a multi-member gzip file, which every gzip reader accepts).
/// In parallel, blocks are compressed on the thread pool and at most <c>maxInFlight</c> are in memory at once; otherwise
/// on the writing thread. <see cref="CompressionLevel.Fastest"/> uses <see cref="FastDeflater"/>, other levels zlib.
/// </summary>
/// <remarks>Compression, not formatting, bounds gzip exports; one core compresses about half as fast as two.</remarks>
internal sealed class BlockGzipStream : WriteOnlyStream
{
    internal const int DefaultBlockSize = 1024 * 1024;

    /// <summary>
    /// Blocks and compressed members come from a small pool of their own: the shared pool keeps arrays per thread and
    /// core, so with compression spread over pool threads its retained memory would grow with the length of the export.
    /// </summary>
    private static readonly ArrayPool<byte> Pool = ArrayPool<byte>.Create(4 * 1024 * 1024, 16);

    private readonly Stream _inner;

    private readonly CompressionLevel _level;

    private readonly int _blockSize;

    private readonly int _maxInFlight;

    private readonly bool _parallel;

    private readonly Queue<Task<Member>> _pending = new();

    private byte[] _block;

    private int _blockLength;

    private bool _wroteAnything;

    // Read by the part-size estimate while a formatting pipeline writes on another thread.
    private long _bytesIn;

    private long _compressedIn;

    private long _compressedOut;

    private bool _disposed;

    public BlockGzipStream(Stream inner, CompressionLevel level, bool parallel = true, int blockSize = DefaultBlockSize, int maxInFlight = 0)
    {
        _inner = inner;
        _level = level;
        _parallel = parallel;
        _blockSize = blockSize;
        _maxInFlight = maxInFlight > 0 ? maxInFlight : Math.Max(2, Environment.ProcessorCount * 2);
        _block = Pool.Rent(blockSize);
    }

    public override bool CanWrite => !_disposed;

    /// <summary>Uncompressed bytes written to this stream so far.</summary>
    public long BytesIn => Volatile.Read(ref _bytesIn);

    /// <summary>Uncompressed bytes whose compressed members have reached the inner stream.</summary>
    public long CompressedInput => Volatile.Read(ref _compressedIn);

    /// <summary>Compressed bytes written to the inner stream for <see cref="CompressedInput"/>.</summary>
    public long CompressedOutput => Volatile.Read(ref _compressedOut);

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        while (!buffer.IsEmpty)
        {
            var take = Math.Min(buffer.Length, _blockSize - _blockLength);
            buffer.Span[..take].CopyTo(_block.AsSpan(_blockLength));
            _blockLength += take;
            Volatile.Write(ref _bytesIn, _bytesIn + take);
            buffer = buffer[take..];
            if (_blockLength == _blockSize)
            {
                await DispatchAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Synchronous writes compress on the calling thread: no blocking on pool work.</summary>
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_pending.Count > 0)
        {
            throw new InvalidOperationException("Mixing synchronous and asynchronous writes is not supported.");
        }

        while (!buffer.IsEmpty)
        {
            var take = Math.Min(buffer.Length, _blockSize - _blockLength);
            buffer[..take].CopyTo(_block.AsSpan(_blockLength));
            _blockLength += take;
            Volatile.Write(ref _bytesIn, _bytesIn + take);
            buffer = buffer[take..];
            if (_blockLength == _blockSize)
            {
                var member = Compress(_block, _blockLength, _level);
                _blockLength = 0;
                _inner.Write(member.Buffer, 0, member.Length);
                Written(member);
                member.Return();
                _wroteAnything = true;
            }
        }
    }

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_blockLength > 0)
        {
            await DispatchAsync(cancellationToken).ConfigureAwait(false);
        }

        await SettleAsync(cancellationToken).ConfigureAwait(false);
        await _inner.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Waits for the blocks being compressed and writes their members, keeping the current block open: unlike a flush,
    /// no block is ended early. The caller must not write meanwhile.
    /// </summary>
    public async ValueTask SettleAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        while (_pending.Count > 0)
        {
            await WriteOldestAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public override void Flush()
    {
        if (_pending.Count > 0)
        {
            throw new InvalidOperationException("Use FlushAsync after asynchronous writes.");
        }

        if (_blockLength > 0)
        {
            var member = Compress(_block, _blockLength, _level);
            _blockLength = 0;
            _inner.Write(member.Buffer, 0, member.Length);
            Written(member);
            member.Return();
            _wroteAnything = true;
        }

        _inner.Flush();
    }

    public override async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        try
        {
            await FlushAsync(CancellationToken.None).ConfigureAwait(false);
            if (!_wroteAnything)
            {
                // An empty file is still a valid gzip file: one empty member.
                var empty = Compress(_block, 0, _level);
                await _inner.WriteAsync(empty.Buffer.AsMemory(0, empty.Length)).ConfigureAwait(false);
                empty.Return();
                _wroteAnything = true;
            }
        }
        finally
        {
            Release();
            await base.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Drops buffered and pending data without writing it (the file is being aborted).</summary>
    public void Abandon()
    {
        if (!_disposed)
        {
            Release();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            if (_pending.Count == 0)
            {
                Flush();
                if (!_wroteAnything)
                {
                    var empty = Compress(_block, 0, _level);
                    _inner.Write(empty.Buffer, 0, empty.Length);
                    empty.Return();
                }
            }

            Release();
        }

        base.Dispose(disposing);
    }

    private static Member Compress(byte[] block, int length, CompressionLevel level)
    {
        // The encoder reads and writes words in little-endian order (as on x64 and Arm64).
        if (level == CompressionLevel.Fastest && BitConverter.IsLittleEndian)
        {
            // Most blocks shrink to half or less; the encoder moves to a larger array itself when one does not.
            var buffer = Pool.Rent(Math.Max(4096, (length >> 1) + 1024));
            var memberLength = GzipMember.Write(block.AsSpan(0, length), ref buffer, Pool);
            return new Member(buffer, memberLength, length);
        }

        // Deflate rarely expands data; the bound covers incompressible blocks plus the gzip header and trailer.
        var output = new PooledOutput(length + (length >> 10) + 256);
        using (var gzip = new GZipStream(output, level, leaveOpen: true))
        {
            gzip.Write(block, 0, length);
        }

        return new Member(output.Buffer, (int)output.Length, length);
    }

    private async ValueTask DispatchAsync(CancellationToken cancellationToken)
    {
        // Members already compressed go out now rather than when the queue is full: bytes reach the destination
        // sooner, and a part's size is known more closely.
        while (_pending.Count >= _maxInFlight || (_pending.Count > 0 && _pending.Peek().IsCompleted))
        {
            await WriteOldestAsync(cancellationToken).ConfigureAwait(false);
        }

        var block = _block;
        var length = _blockLength;
        var level = _level;
        if (!_parallel)
        {
            var member = Compress(block, length, level);
            _blockLength = 0;
            try
            {
                await _inner.WriteAsync(member.Buffer.AsMemory(0, member.Length), cancellationToken).ConfigureAwait(false);
                Written(member);
                _wroteAnything = true;
            }
            finally
            {
                member.Return();
            }

            return;
        }

        _pending.Enqueue(Task.Run(() =>
        {
            try
            {
                return Compress(block, length, level);
            }
            finally
            {
                Pool.Return(block);
            }
        }, CancellationToken.None));
        _block = Pool.Rent(_blockSize);
        _blockLength = 0;
    }

    private async ValueTask WriteOldestAsync(CancellationToken cancellationToken)
    {
        var member = await _pending.Dequeue().ConfigureAwait(false);
        try
        {
            await _inner.WriteAsync(member.Buffer.AsMemory(0, member.Length), cancellationToken).ConfigureAwait(false);
            Written(member);
            _wroteAnything = true;
        }
        finally
        {
            member.Return();
        }
    }

    private void Release()
    {
        _disposed = true;
        foreach (var task in _pending)
        {
            // Abandoned on failure: return their buffers once they finish.
            task.ContinueWith(t => t.Result.Return(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
        }

        _pending.Clear();
        if (_block.Length > 0)
        {
            Pool.Return(_block);
            _block = [];
        }
    }

    private void Written(Member member)
    {
        Volatile.Write(ref _compressedIn, _compressedIn + member.InputLength);
        Volatile.Write(ref _compressedOut, _compressedOut + member.Length);
    }

    private readonly record struct Member(byte[] Buffer, int Length, int InputLength)
    {
        public void Return() => Pool.Return(Buffer);
    }

    /// <summary>A write-only stream over a pooled array that grows by renting.</summary>
    private sealed class PooledOutput(int capacity) : WriteOnlyStream
    {
        private int _length;

        public byte[] Buffer { get; private set; } = Pool.Rent(capacity);

        public override long Length => _length;

        public override long Position
        {
            get => _length;
            set => throw new NotSupportedException();
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (Buffer.Length - _length < buffer.Length)
            {
                var bigger = Pool.Rent(Math.Max(Buffer.Length * 2, _length + buffer.Length));
                Buffer.AsSpan(0, _length).CopyTo(bigger);
                Pool.Return(Buffer);
                Buffer = bigger;
            }

            buffer.CopyTo(Buffer.AsSpan(_length));
            _length += buffer.Length;
        }

        public override void Flush()
        {
        }
    }
}
