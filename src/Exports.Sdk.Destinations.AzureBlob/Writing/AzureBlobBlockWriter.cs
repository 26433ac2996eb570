using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Exports.Sdk.Destinations.AzureBlob;

/// <summary>
/// Streams one block blob without holding the file (at most two blocks in memory, <see cref="BufferedPartWriter"/>):
/// each full block is staged with a per-block transfer checksum; the commit stages the last one and commits the block
/// list — the blob appears at once, whole, with its Content-MD5 set. Disposing without commit leaves only staged
/// blocks, which no reader or listing sees and which the service discards (at the next commit of that name, or after a
/// week).
/// </summary>
internal sealed class AzureBlobBlockWriter(AzureBlobDestination owner, string blobName, int blockSize) : BufferedPartWriter(blobName, blockSize)
{
    private readonly string _writerId = Guid.NewGuid().ToString("N");
    private readonly List<string> _blockIds = [];
    private readonly IncrementalHash _md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);

    /// <summary>The ids of the blocks staged so far (for tests).</summary>
    internal IReadOnlyList<string> BlockIds => _blockIds;

    protected override void OnWrite(ReadOnlySpan<byte> data) => _md5.AppendData(data);

    protected override async ValueTask UploadPartAsync(int partNumber, ReadOnlyMemory<byte> part, CancellationToken cancellationToken)
    {
        var id = BlockId(partNumber);
        await owner.StageBlockAsync(FilePath, id, partNumber - 1, part, cancellationToken).ConfigureAwait(false);
        _blockIds.Add(id);
    }

    protected override async ValueTask CompleteAsync(int partNumber, ReadOnlyMemory<byte> lastPart, CancellationToken cancellationToken)
    {
        if (!lastPart.IsEmpty)
        {
            await UploadPartAsync(partNumber, lastPart, cancellationToken).ConfigureAwait(false);
        }

        // An empty list commits an empty blob, which is what an empty file is.
        await owner.CommitBlockListAsync(FilePath, _blockIds, _md5.GetHashAndReset(), cancellationToken).ConfigureAwait(false);
        owner.LogCommitted(FilePath, BytesWritten, _blockIds.Count);
        _md5.Dispose();
    }

    protected override ValueTask AbortAsync(int partsSent)
    {
        owner.LogAbandoned(FilePath, _blockIds.Count);
        _md5.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Block ids must have equal length within a blob: a writer id plus a fixed-width counter.</summary>
    private string BlockId(int partNumber) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes(_writerId + (partNumber - 1).ToString("D6", CultureInfo.InvariantCulture)));
}
