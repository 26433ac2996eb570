namespace Exports.Sdk;

/// <summary>
/// Reads one data-file format (CSV, JSON Lines, Parquet, or your own) into row batches, for file dataset sources.
/// Register it with <c>AddDatasetFileReader</c>; a file source picks it by <see cref="Format"/> or by file extension.
/// </summary>
public interface IDatasetFileReader
{
    /// <summary>The format name, e.g. <c>csv</c>, <c>jsonl</c>, <c>parquet</c>.</summary>
    string Format { get; }

    /// <summary>The file name endings it reads, without the leading dot, e.g. <c>csv</c> and <c>csv.gz</c>.</summary>
    IReadOnlyList<string> FileExtensions { get; }

    /// <summary>Returns the columns of a file without reading its rows (the declared schema when there is one).</summary>
    /// <param name="context">The file and its options.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The schema.</returns>
    ValueTask<ExportSchema> ReadSchemaAsync(DatasetFileReadContext context, CancellationToken cancellationToken = default);

    /// <summary>
    /// Streams the rows of a file. Yields at least one batch (empty for an empty file) so the schema is known. The consumer
    /// reads each batch before asking for the next, so a reader may reuse one batch.
    /// </summary>
    /// <param name="context">The file and its options.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>Batches of rows.</returns>
    IAsyncEnumerable<RowBatch> ReadAsync(DatasetFileReadContext context, CancellationToken cancellationToken = default);
}
