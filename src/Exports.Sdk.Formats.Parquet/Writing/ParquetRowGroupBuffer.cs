using global::Parquet;
using global::Parquet.Schema;

namespace Exports.Sdk.Formats.Parquet;

/// <summary>
/// The rows of one row group while they are collected, then encoded by Parquet.Net as a complete little Parquet file
/// of its own, so that several row groups of one file can be encoded at once (see <see cref="ParquetFileStitcher"/>).
/// </summary>
internal sealed class ParquetRowGroupBuffer(ParquetColumnBuffer[] columns)
{
    /// <summary>Rows collected.</summary>
    public int Rows { get; private set; }

    /// <summary>Estimated memory of the collected rows.</summary>
    public long Bytes { get; private set; }

    public void Append(RowBatch batch, ReadOnlySpan<int> rows)
    {
        foreach (var column in columns)
        {
            Bytes += column.Append(batch, rows);
        }

        Rows += rows.Length;
    }

    /// <summary>Encodes the rows into <paramref name="output"/> (emptied first) and returns that file's footer.</summary>
    public async Task<EncodedRowGroup> EncodeAsync(ParquetSchema schema, ParquetOptions options, MemoryStream output, CancellationToken cancellationToken)
    {
        output.SetLength(0);
        var writer = await ParquetWriter.CreateAsync(schema, output, options, append: false, cancellationToken).ConfigureAwait(false);
        await using (writer.ConfigureAwait(false))
        {
            // The row group must be closed before the writer: closing it records its row count and sizes for the footer.
            using var rowGroup = writer.CreateRowGroup();
            foreach (var column in columns)
            {
                await column.WriteAsync(rowGroup, cancellationToken).ConfigureAwait(false);
            }

            rowGroup.CompleteValidate();
        }

        var encoded = await EncodedRowGroup.ReadAsync(output, cancellationToken).ConfigureAwait(false);
        var file = output.GetBuffer().AsMemory(0, (int)output.Length);
        foreach (var rowGroup in encoded.Metadata.RowGroups)
        {
            for (var i = 0; i < columns.Length; i++)
            {
                var chunk = rowGroup.Columns[i];
                columns[i].CompleteStatistics(chunk);
                if (chunk.MetaData is { } metadata)
                {
                    var start = metadata.DictionaryPageOffset ?? metadata.DataPageOffset;
                    columns[i].CompletePageStatistics(file.Span.Slice((int)start, (int)metadata.TotalCompressedSize));
                }
            }
        }

        return encoded;
    }

    public void Reset()
    {
        foreach (var column in columns)
        {
            column.Reset();
        }

        Rows = 0;
        Bytes = 0;
    }
}
