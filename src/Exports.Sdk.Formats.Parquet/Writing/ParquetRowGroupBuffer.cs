using System.Buffers.Binary;
using global::Parquet;
using global::Parquet.Meta;
using global::Parquet.Schema;

namespace Exports.Sdk.Formats.Parquet;

/// <summary>
/// The rows of one row group while they are collected, then encoded on their own (see <see cref="ParquetFileStitcher"/>),
/// so that several row groups of one file can be encoded at once. The SDK encodes the chunks of every column but decimals
/// of other widths than 4, 8 and 16 bytes; those Parquet.Net encodes first, as a complete little Parquet file whose
/// footer is then dropped.
/// </summary>
internal sealed class ParquetRowGroupBuffer(ParquetColumnBuffer[] columns, ParquetPageWriter pages)
{
    private static readonly byte[] Magic = "PAR1"u8.ToArray();

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

    /// <summary>
    /// Encodes the rows into <paramref name="output"/> (emptied first). <paramref name="schema"/> holds the columns
    /// Parquet.Net encodes, in column order, or is null when the SDK encodes every column.
    /// </summary>
    public async Task<EncodedRowGroup> EncodeAsync(ParquetSchema? schema, ParquetOptions options, MemoryStream output, CancellationToken cancellationToken)
    {
        output.SetLength(0);
        var chunks = new ColumnChunk[columns.Length];
        if (schema is not null)
        {
            var writer = await ParquetWriter.CreateAsync(schema, output, options, append: false, cancellationToken).ConfigureAwait(false);
            await using (writer.ConfigureAwait(false))
            {
                // The row group must be closed before the writer: closing it records its row count and sizes for the footer.
                using var rowGroup = writer.CreateRowGroup();
                foreach (var column in columns)
                {
                    if (!column.EncodedBySdk)
                    {
                        await column.WriteAsync(rowGroup, cancellationToken).ConfigureAwait(false);
                    }
                }

                rowGroup.CompleteValidate();
            }

            var footer = await EncodedRowGroup.ReadFooterAsync(output, cancellationToken).ConfigureAwait(false);
            var written = footer.RowGroups.Single().Columns;
            var next = 0;
            for (var i = 0; i < columns.Length; i++)
            {
                if (!columns[i].EncodedBySdk)
                {
                    chunks[i] = written[next++];
                }
            }

            // The footer goes: the SDK's chunks follow Parquet.Net's.
            var file = output.GetBuffer().AsSpan(0, (int)output.Length);
            output.SetLength(file.Length - 8 - BinaryPrimitives.ReadInt32LittleEndian(file[^8..^4]));
            output.Position = output.Length;
        }
        else
        {
            output.Write(Magic);
        }

        for (var i = 0; i < columns.Length; i++)
        {
            if (columns[i].EncodedBySdk)
            {
                chunks[i] = columns[i].WriteChunk(output, pages);
            }
        }

        return new EncodedRowGroup(output, new RowGroup
        {
            Columns = [.. chunks],
            NumRows = Rows,
            TotalByteSize = chunks.Sum(c => c.MetaData!.TotalUncompressedSize),
            TotalCompressedSize = chunks.Sum(c => c.MetaData!.TotalCompressedSize),
        });
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
