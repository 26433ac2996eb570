using global::Parquet;
using global::Parquet.Meta;

namespace Exports.Sdk.Formats.Parquet;

/// <summary>One row group encoded on its own, ready to be appended to a file by <see cref="ParquetFileStitcher"/>.</summary>
/// <param name="File"><c>PAR1</c>, then the row group's column chunks.</param>
/// <param name="RowGroup">The row group's metadata, whose offsets count from the start of <paramref name="File"/>.</param>
internal sealed record EncodedRowGroup(MemoryStream File, RowGroup RowGroup)
{
    /// <summary>Parses the footer of a Parquet file just written into <paramref name="file"/>, through Parquet.Net's reader.</summary>
    public static async Task<FileMetaData> ReadFooterAsync(MemoryStream file, CancellationToken cancellationToken)
    {
        file.Position = 0;
        var reader = await ParquetReader.CreateAsync(file, parquetOptions: null, leaveStreamOpen: true, cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            return reader.Metadata ?? throw new InvalidOperationException("Parquet.Net wrote a file without a footer.");
        }
    }
}
