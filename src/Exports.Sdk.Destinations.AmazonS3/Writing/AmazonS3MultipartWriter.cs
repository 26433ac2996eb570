using Amazon.S3.Model;

namespace Exports.Sdk.Destinations.AmazonS3;

/// <summary>
/// Streams one object to S3 without holding the file (at most two parts in memory, <see cref="BufferedPartWriter"/>).
/// The multipart upload starts with the first full part; the commit completes it — the object appears at once, whole.
/// A file smaller than one part is sent as one PutObject at commit. Disposing without commit aborts the upload.
/// </summary>
internal sealed class AmazonS3MultipartWriter(AmazonS3Destination owner, string key, int partSize) : BufferedPartWriter(key, partSize), IPendingWrite
{
    private readonly List<PartETag> _parts = [];
    private bool _settled;

    /// <summary>The multipart upload id once the first part went out (for tests and logs).</summary>
    internal string? UploadId { get; private set; }

    /// <summary>The upload id while the upload is open: one that could not be aborted is recorded and aborted later.</summary>
    public string? PendingToken => _settled ? null : UploadId;

    protected override async ValueTask StartAsync(CancellationToken cancellationToken) =>
        UploadId = await owner.CreateMultipartUploadAsync(FilePath, cancellationToken).ConfigureAwait(false);

    protected override async ValueTask UploadPartAsync(int partNumber, ReadOnlyMemory<byte> part, CancellationToken cancellationToken) =>
        _parts.Add(await owner.UploadPartAsync(FilePath, UploadId!, partNumber, part, isLastPart: false, cancellationToken).ConfigureAwait(false));

    protected override async ValueTask CompleteAsync(int partNumber, ReadOnlyMemory<byte> lastPart, CancellationToken cancellationToken)
    {
        if (UploadId is null)
        {
            await owner.PutObjectAsync(FilePath, lastPart, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            if (!lastPart.IsEmpty)
            {
                _parts.Add(await owner.UploadPartAsync(FilePath, UploadId, partNumber, lastPart, isLastPart: true, cancellationToken).ConfigureAwait(false));
            }

            await owner.CompleteMultipartUploadAsync(FilePath, UploadId, [.. _parts.OrderBy(p => p.PartNumber)], cancellationToken).ConfigureAwait(false);
            _settled = true;
        }

        owner.LogCommitted(FilePath, BytesWritten, Math.Max(1, _parts.Count));
    }

    protected override async ValueTask AbortAsync(int partsSent)
    {
        if (UploadId is not null)
        {
            _settled = await owner.AbortMultipartUploadAsync(FilePath, UploadId).ConfigureAwait(false);
        }
    }
}
