using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Exports.Sdk.Destinations.AzureBlob;

/// <summary>
/// Streams one block blob without holding the file: bytes fill a pooled block buffer; a full block is staged (with a
/// per-block transfer checksum) while the next one fills, so at most two blocks are in memory. <see cref="CommitAsync"/>
/// commits the block list — the blob appears at once, whole, with its Content-MD5 set. Disposing without commit leaves
/// only staged blocks, which no reader or listing sees and which the service discards (at the next commit of that
/// name, or after a week).
/// </summary>
internal sealed class AzureBlobBlockWriter : IDestinationWriter
{
    private readonly AzureBlobDestination _owner;
    private readonly string _blobName;
    private readonly int _blockSize;
    private readonly string _writerId = Guid.NewGuid().ToString("N");
    private readonly List<string> _blockIds = [];
    private readonly IncrementalHash _md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
    private readonly CancellationTokenSource _lifetime = new();
    private byte[] _buffer;
    private byte[]? _spare;
    private int _filled;
    private Task? _inFlight;
    private long _bytes;
    private bool _committed;
    private bool _failed;
    private bool _disposed;

    public AzureBlobBlockWriter(AzureBlobDestination owner, string blobName, int blockSize)
    {
        _owner = owner;
        _blobName = blobName;
        _blockSize = blockSize;
        _buffer = ArrayPool<byte>.Shared.Rent(blockSize);
        Stream = new DestinationWriteStream(WriteAsync);
    }

    public Stream Stream { get; }

    /// <summary>The ids of the blocks staged so far (for tests).</summary>
    internal IReadOnlyList<string> BlockIds => _blockIds;

    public async ValueTask CommitAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfNotWritable();
        try
        {
            await WaitForInFlightAsync(cancellationToken).ConfigureAwait(false);
            if (_filled > 0)
            {
                var id = NextBlockId();
                await _owner.StageBlockAsync(_blobName, id, _blockIds.Count, _buffer.AsMemory(0, _filled), cancellationToken).ConfigureAwait(false);
                _blockIds.Add(id);
            }

            // An empty list commits an empty blob, which is what an empty file is.
            await _owner.CommitBlockListAsync(_blobName, _blockIds, _md5.GetHashAndReset(), cancellationToken).ConfigureAwait(false);
            _committed = true;
            _owner.LogCommitted(_blobName, _bytes, _blockIds.Count);
        }
        catch
        {
            _failed = true;
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _lifetime.CancelAsync().ConfigureAwait(false);
        if (_inFlight is { } inFlight)
        {
            try
            {
                await inFlight.ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or DestinationException)
            {
                // The upload is being abandoned; its failure no longer matters.
            }
        }

        if (!_committed)
        {
            _owner.LogAbandoned(_blobName, _blockIds.Count);
        }

        ArrayPool<byte>.Shared.Return(_buffer);
        if (_spare is not null)
        {
            ArrayPool<byte>.Shared.Return(_spare);
        }

        _md5.Dispose();
        _lifetime.Dispose();
    }

    private async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        ThrowIfNotWritable();
        try
        {
            _md5.AppendData(data.Span);
            while (!data.IsEmpty)
            {
                var count = Math.Min(data.Length, _blockSize - _filled);
                data[..count].CopyTo(_buffer.AsMemory(_filled));
                _filled += count;
                _bytes += count;
                data = data[count..];
                if (_filled == _blockSize)
                {
                    await StageFullBlockAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch
        {
            _failed = true;
            throw;
        }
    }

    private async ValueTask StageFullBlockAsync(CancellationToken cancellationToken)
    {
        // One block uploads while the next fills: memory stays at two blocks, and a failure surfaces on the next write.
        await WaitForInFlightAsync(cancellationToken).ConfigureAwait(false);
        var full = _buffer;
        var count = _filled;
        var id = NextBlockId();
        var number = _blockIds.Count;
        _blockIds.Add(id);
        _buffer = _spare ?? ArrayPool<byte>.Shared.Rent(_blockSize);
        _spare = null;
        _filled = 0;
        _inFlight = StageInBackgroundAsync(full, count, id, number);
    }

    private async Task StageInBackgroundAsync(byte[] buffer, int count, string id, int number)
    {
        try
        {
            await _owner.StageBlockAsync(_blobName, id, number, buffer.AsMemory(0, count), _lifetime.Token).ConfigureAwait(false);
        }
        finally
        {
            _spare = buffer;
        }
    }

    private async ValueTask WaitForInFlightAsync(CancellationToken cancellationToken)
    {
        if (_inFlight is { } inFlight)
        {
            await inFlight.WaitAsync(cancellationToken).ConfigureAwait(false);
            _inFlight = null;
        }
    }

    /// <summary>Block ids must have equal length within a blob: a writer id plus a fixed-width counter.</summary>
    private string NextBlockId() =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes(_writerId + _blockIds.Count.ToString("D6", CultureInfo.InvariantCulture)));

    private void ThrowIfNotWritable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_committed)
        {
            throw new InvalidOperationException("The file was already committed.");
        }

        if (_failed)
        {
            // A stream error, as callers expect when they flush a broken stream (e.g. a gzip trailer on abort).
            throw new IOException("An earlier write or commit of this file failed; the upload is abandoned.");
        }
    }
}
