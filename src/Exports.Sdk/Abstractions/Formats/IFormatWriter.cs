namespace Exports.Sdk;

/// <summary>Writes rows of one file in a format. Not thread-safe.</summary>
public interface IFormatWriter : IAsyncDisposable
{
    /// <summary>Writes the selected rows of a batch, in the order given.</summary>
    /// <param name="batch">The batch; valid only during the call.</param>
    /// <param name="rows">Indexes of the rows to write.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the rows are formatted (they may still be buffered).</returns>
    ValueTask WriteAsync(RowBatch batch, ReadOnlyMemory<int> rows, CancellationToken cancellationToken = default);

    /// <summary>Pushes buffered bytes to the output stream (used to measure the size of a part).</summary>
    /// <param name="cancellationToken">Cancels the flush.</param>
    /// <returns>A task that completes when the bytes are written.</returns>
    ValueTask FlushAsync(CancellationToken cancellationToken = default);

    /// <summary>Writes what ends the file (a footer, the header of an empty file) and flushes.</summary>
    /// <param name="cancellationToken">Cancels completion.</param>
    /// <returns>A task that completes when the file's bytes are all written.</returns>
    ValueTask CompleteAsync(CancellationToken cancellationToken = default);
}
