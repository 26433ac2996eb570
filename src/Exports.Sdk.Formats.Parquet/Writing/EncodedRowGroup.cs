using global::Parquet;
using global::Parquet.Meta;

namespace Exports.Sdk.Formats.Parquet;

/// <summary>A Parquet file in memory holding one encoded row group, and its parsed footer.</summary>
/// <param name="File">The whole file: <c>PAR1</c>, column chunks, footer, footer length, <c>PAR1</c>.</param>
/// <param name="Metadata">The footer, whose offsets count from the start of <paramref name="File"/>.</param>
internal sealed record EncodedRowGroup(MemoryStream File, FileMetaData Metadata)
{
    /// <summary>Parses the footer of a file just written into <paramref name="file"/>, through Parquet.Net's reader.</summary>
    public static async Task<EncodedRowGroup> ReadAsync(MemoryStream file, CancellationToken cancellationToken)
    {
        file.Position = 0;
        var reader = await ParquetReader.CreateAsync(file, parquetOptions: null, leaveStreamOpen: true, cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            return new EncodedRowGroup(file, reader.Metadata ?? throw new InvalidOperationException("Parquet.Net wrote a file without a footer."));
        }
    }
}
