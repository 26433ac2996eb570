using System.Runtime.CompilerServices;
using Azure;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Logging;

namespace Exports.Sdk.Destinations.AzureBlob;

/// <summary>
/// An Azure Blob container (and optional prefix) as a destination. Files are staged as blocks and appear only when the
/// block list is committed; listing, deletion and the connection test use single requests. Every request has a timeout
/// and is retried on transient failures.
/// </summary>
internal sealed class AzureBlobDestination : IDestination, IDestinationMove
{
    private const string ProbePrefix = ".exports-probe-";
    private readonly AzureBlobDestinationOptions _options;
    private readonly AzureBlobResilience _resilience;
    private readonly ILogger _logger;
    private readonly string _prefix;

    public AzureBlobDestination(string name, AzureBlobDestinationOptions options, BlobContainerClient container, TimeProvider timeProvider, ILogger logger)
    {
        Name = name;
        _options = options;
        Container = container;
        _logger = logger;
        _prefix = string.IsNullOrEmpty(options.Prefix) ? "" : options.Prefix.Trim('/') + "/";
        _resilience = new AzureBlobResilience(name, options, timeProvider, logger);
    }

    public string Name { get; }

    /// <summary>The container client (its URI may hold a SAS: never log it).</summary>
    internal BlobContainerClient Container { get; }

    private string ContainerName => Container.Name;

    /// <summary>The blob name of a path relative to the destination's root.</summary>
    internal string BlobNameOf(string path) => _prefix + path;

    public ValueTask<IDestinationWriter> OpenWriteAsync(string path, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        DestinationPath.Validate(path, Name);
        return ValueTask.FromResult<IDestinationWriter>(new AzureBlobBlockWriter(this, BlobNameOf(path), (int)_options.BlockSize));
    }

    public async IAsyncEnumerable<DestinationFile> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var fullPrefix = _prefix + (prefix ?? "");
        string? continuation = null;
        do
        {
            var token = continuation;
            var page = await _resilience.ExecuteAsync(AzureBlobOperation.ListBlobs, fullPrefix, async ct =>
            {
                // One page per attempt, so a retry repeats one request, not the whole listing.
                var pages = Container.GetBlobsAsync(new GetBlobsOptions { Prefix = fullPrefix }, ct).AsPages(token, pageSizeHint: 5000);
                var enumerator = pages.GetAsyncEnumerator(ct);
                await using (enumerator.ConfigureAwait(false))
                {
                    return await enumerator.MoveNextAsync().ConfigureAwait(false) ? enumerator.Current : null;
                }
            }, cancellationToken).ConfigureAwait(false);
            if (page is null)
            {
                yield break;
            }

            foreach (var item in page.Values)
            {
                var path = item.Name[_prefix.Length..];
                if (DestinationPath.Check(path) is null && !path.Split('/')[^1].StartsWith(ProbePrefix, StringComparison.Ordinal))
                {
                    yield return new DestinationFile(path, item.Properties.ContentLength ?? 0);
                }
            }

            continuation = string.IsNullOrEmpty(page.ContinuationToken) ? null : page.ContinuationToken;
        }
        while (continuation is not null);
    }

    public async ValueTask DeleteAsync(string path, CancellationToken cancellationToken = default)
    {
        DestinationPath.Validate(path, Name);
        var blobName = BlobNameOf(path);
        await _resilience.ExecuteAsync(AzureBlobOperation.DeleteBlob, blobName,
            ct => Container.GetBlobClient(blobName).DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A server-side copy within the account (the target is replaced in one step), then the source is deleted.</summary>
    public async ValueTask MoveAsync(string sourcePath, string targetPath, CancellationToken cancellationToken = default)
    {
        DestinationPath.Validate(sourcePath, Name);
        DestinationPath.Validate(targetPath, Name);
        var from = Container.GetBlobClient(BlobNameOf(sourcePath));
        var to = Container.GetBlobClient(BlobNameOf(targetPath));
        await _resilience.ExecuteAsync(AzureBlobOperation.CopyBlob, to.Name, async ct =>
        {
            var copy = await to.StartCopyFromUriAsync(from.Uri, cancellationToken: ct).ConfigureAwait(false);
            return await copy.WaitForCompletionAsync(ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        await _resilience.ExecuteAsync(AzureBlobOperation.DeleteBlob, from.Name,
            ct => from.DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<ConnectionTestResult> TestConnectionAsync(CancellationToken cancellationToken = default)
    {
        // Least privilege: a tiny probe blob proves write, deleting it proves delete (needed to roll back a failed run),
        // and a one-blob listing proves list (needed to list exports). Nothing is left behind.
        var blobName = _prefix + ProbePrefix + Guid.NewGuid().ToString("N");
        var where = $"Destination '{Name}' (container '{ContainerName}')";
        var step = AzureBlobOperation.PutBlob;
        try
        {
            var blob = Container.GetBlockBlobClient(blobName);
            await _resilience.ExecuteAsync(step, blobName, ct => blob.UploadAsync(new MemoryStream([]), cancellationToken: ct), cancellationToken).ConfigureAwait(false);
            step = AzureBlobOperation.DeleteBlob;
            await _resilience.ExecuteAsync(step, blobName, ct => blob.DeleteIfExistsAsync(cancellationToken: ct), cancellationToken).ConfigureAwait(false);
            step = AzureBlobOperation.ListBlobs;
            await _resilience.ExecuteAsync(step, _prefix, async ct =>
            {
                var enumerator = Container.GetBlobsAsync(new GetBlobsOptions { Prefix = _prefix }, ct).AsPages(pageSizeHint: 1).GetAsyncEnumerator(ct);
                await using (enumerator.ConfigureAwait(false))
                {
                    return await enumerator.MoveNextAsync().ConfigureAwait(false);
                }
            }, cancellationToken).ConfigureAwait(false);
            return ConnectionTestResult.Success($"{where}: wrote and deleted a probe blob and listed blobs (write, delete, list).");
        }
        catch (DestinationException ex) when (ex.InnerException is RequestFailedException { Status: 403, ErrorCode: not ("AuthenticationFailed" or "InvalidAuthenticationInfo" or "AuthorizationFailure") })
        {
            var leftover = step == AzureBlobOperation.DeleteBlob ? $" The probe blob '{blobName}' could not be removed." : "";
            return ConnectionTestResult.Failure($"{where}: {step.Name} was denied: the credentials lack the {step.Permission} permission.{leftover}", step.Permission.Split(' ')[0]);
        }
        catch (DestinationException ex)
        {
            return ConnectionTestResult.Failure(ex.Message);
        }
    }

    internal async ValueTask StageBlockAsync(string blobName, string blockId, int blockNumber, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var blob = Container.GetBlockBlobClient(blobName);
        var options = new BlockBlobStageBlockOptions
        {
            TransferValidation = new UploadTransferValidationOptions { ChecksumAlgorithm = _options.TransferChecksum },
        };
        // A fresh stream per attempt: a retry re-sends this block only, from its start.
        await _resilience.ExecuteAsync(AzureBlobOperation.PutBlock, blobName,
            ct => blob.StageBlockAsync(blockId, AsStream(content), options, ct), cancellationToken).ConfigureAwait(false);
        AzureBlobLog.BlockStaged(_logger, Name, blockNumber, blobName, content.Length);
    }

    internal async ValueTask CommitBlockListAsync(string blobName, IReadOnlyList<string> blockIds, byte[] contentMd5, CancellationToken cancellationToken)
    {
        var blob = Container.GetBlockBlobClient(blobName);
        var options = new CommitBlockListOptions
        {
            // Stored as the blob's Content-MD5, so readers can verify the whole file.
            HttpHeaders = new BlobHttpHeaders { ContentHash = contentMd5, ContentType = ContentTypeOf(blobName) },
        };
        await _resilience.ExecuteAsync(AzureBlobOperation.PutBlockList, blobName,
            ct => blob.CommitBlockListAsync(blockIds, options, ct), cancellationToken).ConfigureAwait(false);
    }

    internal void LogCommitted(string blobName, long bytes, int blocks) => AzureBlobLog.Committed(_logger, Name, blobName, bytes, blocks);

    internal void LogAbandoned(string blobName, int blocks) => AzureBlobLog.Abandoned(_logger, Name, blobName, blocks);

    private static string ContentTypeOf(string blobName) =>
        blobName.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? "application/gzip"
        : blobName.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? "text/csv"
        : blobName.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? "application/json"
        : blobName.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) ? "application/jsonl"
        : "application/octet-stream";

    private static MemoryStream AsStream(ReadOnlyMemory<byte> content) =>
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(content, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(content.ToArray(), writable: false);
}
