using System.Runtime.CompilerServices;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Logging;

namespace Exports.Sdk.Destinations.AmazonS3;

/// <summary>
/// An S3 bucket (and optional key prefix) as a destination. Files are streamed as multipart uploads and appear only
/// when completed; listing, deletion and the connection test use single requests. Every request has a timeout and is
/// retried on transient failures.
/// </summary>
internal sealed class AmazonS3Destination : IDestination, IDestinationMove, IPendingWriteCleanup
{
    private const string ProbePrefix = ".exports-probe-";
    private readonly AmazonS3DestinationOptions _options;
    private readonly AmazonS3Resilience _resilience;
    private readonly ILogger _logger;
    private readonly string _keyPrefix;

    public AmazonS3Destination(string name, AmazonS3DestinationOptions options, IAmazonS3 client, TimeProvider timeProvider, ILogger logger)
    {
        Name = name;
        _options = options;
        Client = client;
        _logger = logger;
        _keyPrefix = string.IsNullOrEmpty(options.Prefix) ? "" : options.Prefix.Trim('/') + "/";
        _resilience = new AmazonS3Resilience(name, options, timeProvider, logger);
    }

    public string Name { get; }

    /// <summary>The S3 client (owned by this destination for the application's lifetime).</summary>
    internal IAmazonS3 Client { get; }

    internal string Bucket => _options.Bucket;

    /// <summary>The object key of a path relative to the destination's root.</summary>
    internal string KeyOf(string path) => _keyPrefix + path;

    public ValueTask<IDestinationWriter> OpenWriteAsync(string path, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        DestinationPath.Validate(path, Name);
        return ValueTask.FromResult<IDestinationWriter>(new AmazonS3MultipartWriter(this, KeyOf(path), (int)_options.PartSize));
    }

    public async IAsyncEnumerable<DestinationFile> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? continuation = null;
        do
        {
            var request = new ListObjectsV2Request { BucketName = Bucket, Prefix = _keyPrefix + (prefix ?? ""), ContinuationToken = continuation };
            var page = await _resilience.ExecuteAsync(AmazonS3Operation.ListObjects, request.Prefix, ct => Client.ListObjectsV2Async(request, ct), cancellationToken).ConfigureAwait(false);
            foreach (var item in page.S3Objects ?? [])
            {
                var path = item.Key[_keyPrefix.Length..];
                // Keys that are not valid destination paths (folder markers "x/", "a//b") were not written by an export.
                if (DestinationPath.Check(path) is null && !path.Split('/')[^1].StartsWith(ProbePrefix, StringComparison.Ordinal))
                {
                    yield return new DestinationFile(path, item.Size ?? 0);
                }
            }

            continuation = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (continuation is not null);
    }

    public async ValueTask DeleteAsync(string path, CancellationToken cancellationToken = default)
    {
        DestinationPath.Validate(path, Name);
        var key = KeyOf(path);
        await _resilience.ExecuteAsync(AmazonS3Operation.DeleteObject, key,
            ct => Client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = Bucket, Key = key }, ct), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A server-side copy (the target is replaced in one step; objects up to 5 GB), then the source is deleted.</summary>
    public async ValueTask MoveAsync(string sourcePath, string targetPath, CancellationToken cancellationToken = default)
    {
        DestinationPath.Validate(sourcePath, Name);
        DestinationPath.Validate(targetPath, Name);
        var from = KeyOf(sourcePath);
        var to = KeyOf(targetPath);
        await _resilience.ExecuteAsync(AmazonS3Operation.CopyObject, to,
            ct => Client.CopyObjectAsync(new CopyObjectRequest { SourceBucket = Bucket, SourceKey = from, DestinationBucket = Bucket, DestinationKey = to }, ct), cancellationToken).ConfigureAwait(false);
        await _resilience.ExecuteAsync(AmazonS3Operation.DeleteObject, from,
            ct => Client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = Bucket, Key = from }, ct), cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<ConnectionTestResult> TestConnectionAsync(CancellationToken cancellationToken = default)
    {
        // Least privilege, leaving nothing behind: a multipart upload of one tiny part, aborted, proves what exports
        // need (s3:PutObject, single and multipart, and s3:AbortMultipartUpload). Deleting a key that does not exist and
        // a one-key listing then tell whether s3:DeleteObject and s3:ListBucket are granted too: a write-only bucket
        // policy passes, with what it lacks named.
        var key = _keyPrefix + ProbePrefix + Guid.NewGuid().ToString("N");
        var where = $"Destination '{Name}' (bucket '{Bucket}')";
        var step = AmazonS3Operation.CreateMultipartUpload;
        try
        {
            var upload = await _resilience.ExecuteAsync(step, key,
                ct => Client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = Bucket, Key = key }, ct), cancellationToken).ConfigureAwait(false);
            step = AmazonS3Operation.UploadPart;
            await _resilience.ExecuteAsync(step, key,
                ct => Client.UploadPartAsync(new UploadPartRequest { BucketName = Bucket, Key = key, UploadId = upload.UploadId, PartNumber = 1, InputStream = new MemoryStream("probe"u8.ToArray()) }, ct), cancellationToken).ConfigureAwait(false);
            step = AmazonS3Operation.AbortMultipartUpload;
            await _resilience.ExecuteAsync(step, key,
                ct => Client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = Bucket, Key = key, UploadId = upload.UploadId }, ct), cancellationToken).ConfigureAwait(false);
        }
        catch (DestinationException ex) when (IsDenied(ex))
        {
            var leftover = step == AmazonS3Operation.AbortMultipartUpload ? $" The probe upload of '{key}' could not be aborted." : "";
            return ConnectionTestResult.Failure($"{where}: {step.Name} was denied: the credentials lack {step.Permission}.{leftover}", step.Permission);
        }
        catch (DestinationException ex)
        {
            return ConnectionTestResult.Failure(ex.Message);
        }

        var missing = new List<string>();
        foreach (var (operation, probe) in new (AmazonS3Operation, Func<CancellationToken, Task>)[]
        {
            (AmazonS3Operation.DeleteObject, ct => Client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = Bucket, Key = key }, ct)),
            (AmazonS3Operation.ListObjects, ct => Client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, Prefix = _keyPrefix, MaxKeys = 1 }, ct)),
        })
        {
            try
            {
                await _resilience.ExecuteAsync(operation, key, async ct => { await probe(ct).ConfigureAwait(false); return true; }, cancellationToken).ConfigureAwait(false);
            }
            catch (DestinationException ex) when (IsDenied(ex))
            {
                missing.Add(operation.Permission);
            }
            catch (DestinationException ex)
            {
                return ConnectionTestResult.Failure(ex.Message);
            }
        }

        return missing.Count == 0
            ? ConnectionTestResult.Success($"{where}: uploaded and aborted a probe (s3:PutObject, s3:AbortMultipartUpload), deleted and listed keys (s3:DeleteObject, s3:ListBucket).")
            : ConnectionTestResult.Success($"{where}: uploaded and aborted a probe (s3:PutObject, s3:AbortMultipartUpload), so exports can be written. Not granted: {string.Join(", ", missing)}: " +
                "a failed run's parts cannot be removed (they stay on record until then), and fixed file names, which replace a set, cannot be used.") with { MissingPermission = string.Join(", ", missing) };
    }

    private static bool IsDenied(DestinationException exception) =>
        exception.InnerException is AmazonS3Exception { StatusCode: System.Net.HttpStatusCode.Forbidden } or AmazonS3Exception { ErrorCode: "AccessDenied" };

    internal async ValueTask<string> CreateMultipartUploadAsync(string key, CancellationToken cancellationToken)
    {
        var response = await _resilience.ExecuteAsync(AmazonS3Operation.CreateMultipartUpload, key,
            ct => Client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest
            {
                BucketName = Bucket,
                Key = key,
                ChecksumAlgorithm = ChecksumAlgorithm.CRC32,
            }, ct), cancellationToken).ConfigureAwait(false);
        AmazonS3Log.MultipartStarted(_logger, Name, response.UploadId, key);
        return response.UploadId;
    }

    internal async ValueTask<PartETag> UploadPartAsync(string key, string uploadId, int partNumber, ReadOnlyMemory<byte> content, bool isLastPart, CancellationToken cancellationToken)
    {
        var response = await _resilience.ExecuteAsync(AmazonS3Operation.UploadPart, key,
            ct => Client.UploadPartAsync(new UploadPartRequest
            {
                BucketName = Bucket,
                Key = key,
                UploadId = uploadId,
                PartNumber = partNumber,
                IsLastPart = isLastPart,
                // A fresh stream per attempt: a retry re-sends this part only, from its start.
                InputStream = AsStream(content),
                ChecksumAlgorithm = ChecksumAlgorithm.CRC32,
            }, ct), cancellationToken).ConfigureAwait(false);
        AmazonS3Log.PartUploaded(_logger, Name, partNumber, key, content.Length);
        return new PartETag(response) { PartNumber = partNumber };
    }

    internal async ValueTask PutObjectAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        await _resilience.ExecuteAsync(AmazonS3Operation.PutObject, key,
            ct => Client.PutObjectAsync(new PutObjectRequest
            {
                BucketName = Bucket,
                Key = key,
                InputStream = AsStream(content),
                ChecksumAlgorithm = ChecksumAlgorithm.CRC32,
            }, ct), cancellationToken).ConfigureAwait(false);
    }

    internal async ValueTask CompleteMultipartUploadAsync(string key, string uploadId, List<PartETag> parts, CancellationToken cancellationToken)
    {
        await _resilience.ExecuteAsync(AmazonS3Operation.CompleteMultipartUpload, key,
            ct => Client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = Bucket,
                Key = key,
                UploadId = uploadId,
                PartETags = parts,
            }, ct), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Aborts an upload; false when the server could not be reached (the caller keeps the id on record).</summary>
    internal async ValueTask<bool> AbortMultipartUploadAsync(string key, string uploadId)
    {
        try
        {
            // Not cancellable: an abort must run even when the export was cancelled; the request timeout bounds it.
            await AbortAsync(key, uploadId, CancellationToken.None).ConfigureAwait(false);
            return true;
        }
        catch (DestinationException ex)
        {
            AmazonS3Log.AbortFailed(_logger, ex, Name, uploadId, key);
            return false;
        }
    }

    /// <summary>Aborts the multipart upload a failed or dead run left open (its id is the token).</summary>
    public async ValueTask RemovePendingWriteAsync(string path, string pendingToken, CancellationToken cancellationToken = default)
    {
        DestinationPath.Validate(path, Name);
        ArgumentException.ThrowIfNullOrEmpty(pendingToken);
        await AbortAsync(KeyOf(path), pendingToken, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask AbortAsync(string key, string uploadId, CancellationToken cancellationToken)
    {
        try
        {
            await _resilience.ExecuteAsync(AmazonS3Operation.AbortMultipartUpload, key,
                ct => Client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = Bucket, Key = key, UploadId = uploadId }, ct),
                cancellationToken).ConfigureAwait(false);
        }
        catch (DestinationException ex) when (ex.InnerException is AmazonS3Exception { ErrorCode: "NoSuchUpload" })
        {
            // Already gone.
        }

        AmazonS3Log.Aborted(_logger, Name, key, uploadId);
    }

    internal void LogCommitted(string key, long bytes, int parts) => AmazonS3Log.Committed(_logger, Name, key, bytes, parts);

    private static MemoryStream AsStream(ReadOnlyMemory<byte> content) =>
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(content, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(content.ToArray(), writable: false);
}
