using System.Buffers;
using Amazon.S3.Model;

namespace Exports.Sdk.Destinations.AmazonS3;

/// <summary>
/// Streams one object to S3 without holding the file: bytes fill a pooled part buffer; a full part is uploaded while
/// the next one fills (so at most two parts are in memory). <see cref="CommitAsync"/> completes the multipart upload —
/// the object appears at once, whole. A file smaller than one part is sent as one PutObject at commit. Disposing
/// without commit aborts the multipart upload, so no part stays behind.
/// </summary>
internal sealed class AmazonS3MultipartWriter : IDestinationWriter
{
    private readonly AmazonS3Destination _owner;
    private readonly string _key;
    private readonly int _partSize;
    private readonly List<PartETag> _parts = [];
    private readonly CancellationTokenSource _lifetime = new();
    private byte[] _buffer;
    private byte[]? _spare;
    private int _filled;
    private Task? _inFlight;
    private int _nextPartNumber = 1;
    private long _bytes;
    private bool _committed;
    private bool _failed;
    private bool _disposed;

    public AmazonS3MultipartWriter(AmazonS3Destination owner, string key, int partSize)
    {
        _owner = owner;
        _key = key;
        _partSize = partSize;
        _buffer = ArrayPool<byte>.Shared.Rent(partSize);
        Stream = new DestinationWriteStream(WriteAsync);
    }

    public Stream Stream { get; }

    /// <summary>The multipart upload id once the first part went out (for tests and logs).</summary>
    internal string? UploadId { get; private set; }

    public async ValueTask CommitAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfNotWritable();
        try
        {
            if (UploadId is null)
            {
                await _owner.PutObjectAsync(_key, _buffer.AsMemory(0, _filled), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await WaitForInFlightAsync(cancellationToken).ConfigureAwait(false);
                if (_filled > 0)
                {
                    _parts.Add(await _owner.UploadPartAsync(_key, UploadId, _nextPartNumber++, _buffer.AsMemory(0, _filled), isLastPart: true, cancellationToken).ConfigureAwait(false));
                }

                await _owner.CompleteMultipartUploadAsync(_key, UploadId, [.. _parts.OrderBy(p => p.PartNumber)], cancellationToken).ConfigureAwait(false);
            }

            _committed = true;
            _owner.LogCommitted(_key, _bytes, Math.Max(1, _parts.Count));
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

        if (!_committed && UploadId is not null)
        {
            await _owner.AbortMultipartUploadAsync(_key, UploadId).ConfigureAwait(false);
        }

        ArrayPool<byte>.Shared.Return(_buffer);
        if (_spare is not null)
        {
            ArrayPool<byte>.Shared.Return(_spare);
        }

        _lifetime.Dispose();
    }

    private async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        ThrowIfNotWritable();
        try
        {
            while (!data.IsEmpty)
            {
                var count = Math.Min(data.Length, _partSize - _filled);
                data[..count].CopyTo(_buffer.AsMemory(_filled));
                _filled += count;
                _bytes += count;
                data = data[count..];
                if (_filled == _partSize)
                {
                    await SendFullPartAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch
        {
            _failed = true;
            throw;
        }
    }

    private async ValueTask SendFullPartAsync(CancellationToken cancellationToken)
    {
        UploadId ??= await _owner.CreateMultipartUploadAsync(_key, cancellationToken).ConfigureAwait(false);

        // One part uploads while the next fills: memory stays at two parts, and a failure surfaces on the next write.
        await WaitForInFlightAsync(cancellationToken).ConfigureAwait(false);
        var full = _buffer;
        var count = _filled;
        var partNumber = _nextPartNumber++;
        _buffer = _spare ?? ArrayPool<byte>.Shared.Rent(_partSize);
        _spare = null;
        _filled = 0;
        _inFlight = UploadInBackgroundAsync(full, count, partNumber, UploadId);
    }

    private async Task UploadInBackgroundAsync(byte[] buffer, int count, int partNumber, string uploadId)
    {
        try
        {
            _parts.Add(await _owner.UploadPartAsync(_key, uploadId, partNumber, buffer.AsMemory(0, count), isLastPart: false, _lifetime.Token).ConfigureAwait(false));
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
